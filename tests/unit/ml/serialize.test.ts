import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import {
  artifactFromModelJson,
  artifactToModelJson,
  decodeParams,
  exportParams,
  loadParams,
  maclModelFromArtifact,
  maclSpecJson,
  unetFromArtifact,
  unetSpecJson,
} from '../../../src-main/ml/serialize';
import { createFinetuneUNet, transferParams, transferPrefixes } from '../../../src-main/ml/transfer';
import { createUNet } from '../../../src-main/ml/unet';
import type { ParamStore } from '../../../src-main/ml/paramStore';
import { maxAbs, useCpu } from './helpers';

beforeAll(useCpu);

async function valuesOf(store: ParamStore): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [name, v] of store.entries()) out.set(name, Array.from(await v.data()));
  return out;
}

/** Makes BN running stats non-trivial so the round trip covers them. */
function perturbBuffers(store: ParamStore, seed: number): void {
  store.entries().forEach(([name, v], i) => {
    if (store.kindOf(name) === 'buffer') {
      const value = tf.randomUniform(v.shape, 0.5, 2, 'float32', seed + i);
      v.assign(value);
      value.dispose();
    }
  });
}

describe('parameter artifacts', () => {
  it('round-trips a U-Net exactly (weights and BN running stats), through model.json too', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 7 });
    perturbBuffers(unet.params, 1);
    const artifact = await exportParams(unet.params, unetSpecJson(unet));
    expect(artifact.spec).toEqual({ kind: 'unet', version: 1, inChannels: 1, width: 2, classes: 3 });
    expect(artifact.weightSpecs.map((s) => s.name)).toEqual(unet.params.entries().map(([n]) => n));
    const json = JSON.parse(JSON.stringify(artifactToModelJson(artifact))) as unknown;
    const reread = artifactFromModelJson(json, artifact.data.slice(0));
    const copy = unetFromArtifact(reread);
    expect(copy.spec).toEqual(unet.spec);
    expect(await valuesOf(copy.params)).toEqual(await valuesOf(unet.params));
    copy.dispose();
    unet.dispose();
  });

  it('round-trips the pre-training module and carries extra tensors (optimiser state)', async () => {
    const model = createMaclModel({ width: 2, seed: 3 });
    perturbBuffers(model.params, 5);
    const state = new Map([['enc1.conv1.w', tf.randomNormal([3, 3, 1, 2], 0, 1, 'float32', 9)]]);
    const artifact = await exportParams(model.params, maclSpecJson(model), state);
    const copy = maclModelFromArtifact(artifact);
    expect(await valuesOf(copy.params)).toEqual(await valuesOf(model.params));
    const extra = loadParams(copy.params, artifact);
    expect([...extra.keys()]).toEqual(['enc1.conv1.w']);
    expect(Array.from(await extra.get('enc1.conv1.w')!.data())).toEqual(Array.from(await state.get('enc1.conv1.w')!.data()));
    tf.dispose([...extra.values(), ...state.values()]);
    copy.dispose();
    model.dispose();
  });

  it('rejects checkpoints that do not fit, naming what is wrong', async () => {
    const unet = createUNet({ classes: 3, width: 2 });
    const other = createUNet({ classes: 3, width: 4 });
    const artifact = await exportParams(other.params, unetSpecJson(other));
    const before = tf.memory().numTensors;
    expect(() => loadParams(unet.params, artifact)).toThrow(/"enc1.conv1.w" is \[3, 3, 1, 4\], the model has \[3, 3, 1, 2\]/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => maclModelFromArtifact(artifact)).toThrow(/holds a unet model/);
    const json = artifactToModelJson(artifact);
    expect(() => artifactFromModelJson(json, new ArrayBuffer(8))).toThrow(/describes \d+ bytes of weights, the weights file has 8/);
    expect(() => artifactFromModelJson({ ...json, format: 'other' }, artifact.data)).toThrow(/not a macl-params file/);
    expect(() => artifactFromModelJson({ ...json, modelTopology: { kind: 'unet', version: 1, inChannels: 1, width: 4 } }, artifact.data)).toThrow(/classes/);
    unet.dispose();
    other.dispose();
  });
});

describe('transfer from pre-training', () => {
  it('copies encoder + decoder blocks 1-2 (with BN stats) and leaves blocks 3-4 and the head fresh', async () => {
    const macl = createMaclModel({ width: 2, seed: 11 });
    perturbBuffers(macl.params, 20);
    const fresh = createUNet({ classes: 4, width: 2, seed: 5 });
    const unet = createFinetuneUNet({ classes: 4, width: 2, seed: 5 }, macl.params);
    for (const [name, variable] of unet.params.entries()) {
      const transferred = transferPrefixes.some((p) => name.startsWith(`${p}.`));
      const reference = transferred ? macl.params.get(name) : fresh.params.get(name);
      expect(await maxAbs(() => variable.sub(reference)), name).toBe(0);
      if (transferred && name.endsWith('.w')) expect(await maxAbs(() => variable.sub(fresh.params.get(name))), name).toBeGreaterThan(0);
    }
    expect(unet.params.has('auxPix.conv1.w')).toBe(false);
    // Training the U-Net later must not change the pre-trained model (shared buffers are replaced, never written in place).
    const w = unet.params.get('enc1.conv1.w');
    const before = Array.from(await macl.params.get('enc1.conv1.w').data());
    const bumped = tf.tidy(() => w.add(1));
    w.assign(bumped);
    bumped.dispose();
    expect(Array.from(await macl.params.get('enc1.conv1.w').data())).toEqual(before);
    [macl, fresh, unet].forEach((m) => m.dispose());
  });

  it('also transfers from decoded checkpoint tensors, and refuses a different width', async () => {
    const macl = createMaclModel({ width: 2, seed: 1 });
    const artifact = await exportParams(macl.params, maclSpecJson(macl));
    const tensors = decodeParams(artifact);
    const unet = createUNet({ classes: 2, width: 2 });
    const copied = transferParams(unet.params, tensors);
    expect(copied).toContain('centre.conv2.w');
    expect(copied).toContain('dec2.bn2.var');
    expect(copied.some((n) => n.startsWith('dec3.') || n.startsWith('head.'))).toBe(false);
    const wide = createUNet({ classes: 2, width: 4 });
    expect(() => transferParams(wide.params, tensors)).toThrow(/different width or input channels/);
    expect(() => createFinetuneUNet({ classes: 2, width: 4 }, tensors)).toThrow(/different width/);
    tf.dispose([...tensors.values()]);
    [macl, unet, wide].forEach((m) => m.dispose());
  });
});
