import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { exportParams, maclSpecJson, unetSpecJson, type ParamArtifact } from '../../../src-main/ml/serialize';
import { createUNet } from '../../../src-main/ml/unet';
import { nodeAtomicWriteFs, type AtomicWriteFs } from '../../../src-main/workspace/atomicWrite';
import type { ModelMeta } from '../../../src-main/shared/contract/modelRecord';
import { ModelNotFoundError, openModelRegistry } from '../../../src-main/workspace/modelRegistry';
import { useCpu } from '../ml/helpers';
import { tempFolder } from '../trainer/jobs/jobFixtures';

beforeAll(useCpu);

let temp: { dir: string; cleanup: () => void };
beforeEach(() => {
  temp = tempFolder('registry');
});
afterEach(() => temp.cleanup());

async function unetArtifact(seed: number): Promise<ParamArtifact> {
  const unet = createUNet({ classes: 3, width: 2, seed });
  try {
    return await exportParams(unet.params, unetSpecJson(unet));
  } finally {
    unet.dispose();
  }
}

function meta(name: string, overrides: Partial<ModelMeta> = {}): ModelMeta {
  return {
    name,
    kind: 'finetuned',
    parentId: null,
    spec: { inChannels: 1, width: 2, classes: 3, size: 32 },
    steps: 10,
    totalSteps: 10,
    losses: { loss: 0.5 },
    backend: 'cpu',
    device: 'test',
    data: { archiveRoot: null, labelsPath: '/x/labels.nii', series: [{ seriesId: 's1', path: '/x/image.nii', slices: 8, labelledVoxels: { '0': 40, '1': 12 } }], seriesCount: 1 },
    optimizerState: false,
    settings: { batch: 2 },
    ...overrides,
  };
}

/** Clock that moves one second per call, so versions of one name sort by creation. */
function steppingClock(): () => Date {
  let t = Date.parse('2025-01-01T00:00:00Z');
  return () => new Date((t += 1000));
}

const bytesOf = (buffer: ArrayBuffer): number[] => Array.from(new Uint8Array(buffer));

describe('model registry', () => {
  it('saves, lists (newest first), finds by id and name, and loads byte for byte', async () => {
    const registry = await openModelRegistry(temp.dir, { now: steppingClock() });
    expect(await registry.list()).toEqual([]);
    const a1 = await unetArtifact(1);
    const a2 = await unetArtifact(2);
    const first = await registry.save(a1, meta('liver'));
    const second = await registry.save(a2, meta('liver', { parentId: first.id, steps: 20, totalSteps: 20 }));
    const other = await registry.save(a1, meta('kidney'));
    expect(first).toMatchObject({ name: 'liver', version: 1, kind: 'finetuned', weightBytes: a1.data.byteLength });
    expect(second.version).toBe(2);
    expect(other.version).toBe(1);
    expect((await registry.list()).map((r) => r.id)).toEqual([other.id, second.id, first.id]);
    expect((await registry.find('liver')).id).toBe(second.id);
    expect((await registry.find(first.id)).id).toBe(first.id);
    const loaded = await registry.load('liver');
    expect(loaded.record).toEqual(second);
    expect(loaded.artifact.spec).toEqual(a2.spec);
    expect(loaded.artifact.weightSpecs).toEqual(a2.weightSpecs);
    expect(bytesOf(loaded.artifact.data)).toEqual(bytesOf(a2.data));
    expect(readdirSync(path.join(temp.dir, 'models', second.id)).sort()).toEqual(['model.json', 'record.json', 'weights.bin']);
  });

  it('writes tfjs-format files that tf.io readers understand', async () => {
    const registry = await openModelRegistry(temp.dir);
    const model = createMaclModel({ width: 2, seed: 4 });
    const artifact = await exportParams(model.params, maclSpecJson(model));
    const record = await registry.save(artifact, meta('pre', { kind: 'pretrained', spec: { inChannels: 1, width: 2, classes: null, size: 64 } }));
    const folder = path.join(temp.dir, 'models', record.id);
    const modelJson = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const weights = readFileSync(path.join(folder, 'weights.bin'));
    // The loader that tf.io's http and file handlers use: it reads the manifest and asks for the files it names.
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      expect(manifest[0]?.paths).toEqual(['weights.bin']);
      const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
      return [manifest.flatMap((group) => group.weights), data];
    });
    const decoded = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []);
    expect(Object.keys(decoded)).toEqual(model.params.entries().map(([name]) => name));
    for (const [name, variable] of model.params.entries()) {
      expect(Array.from(await decoded[name]!.data()), name).toEqual(Array.from(await variable.data()));
    }
    tf.dispose(Object.values(decoded));
    model.dispose();
  });

  it('says which names exist when a name is unknown', async () => {
    const registry = await openModelRegistry(temp.dir);
    await expect(registry.find('nothing')).rejects.toThrow(/No model called "nothing" .*The registry is empty/);
    await registry.save(await unetArtifact(1), meta('liver'));
    await expect(registry.load('livr')).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(registry.load('livr')).rejects.toThrow(/Known names: liver \(run "macl models"/);
  });

  it('a save that fails mid-write leaves the earlier models usable and lists nothing new', async () => {
    const registry = await openModelRegistry(temp.dir);
    const good = await registry.save(await unetArtifact(1), meta('liver'));
    for (const failOn of ['model.json', 'record.json', 'rename']) {
      const failing: AtomicWriteFs = {
        ...nodeAtomicWriteFs,
        open: (file, flags, mode) => (failOn !== 'rename' && path.basename(file).startsWith(`.${failOn}`) ? Promise.reject(new Error('ENOSPC: no space left on device')) : nodeAtomicWriteFs.open(file, flags, mode)),
        rename: (from, to) => (failOn === 'rename' && path.basename(from).startsWith('.partial-') ? Promise.reject(new Error('EIO: simulated')) : nodeAtomicWriteFs.rename(from, to)),
      };
      const broken = await openModelRegistry(temp.dir, { fs: failing });
      await expect(broken.save(await unetArtifact(2), meta('liver', { steps: 99, totalSteps: 99 }))).rejects.toThrow(/Could not save the model "liver" .*(ENOSPC|EIO).*earlier models are intact/);
      expect((await registry.list()).map((r) => r.id)).toEqual([good.id]);
      expect(readdirSync(path.join(temp.dir, 'models'))).toEqual([good.id]);
      const loaded = await registry.load('liver');
      expect(loaded.record.steps).toBe(10);
    }
  });

  it('ignores what a killed save leaves behind, and clears old leftovers when opened', async () => {
    const registry = await openModelRegistry(temp.dir);
    const good = await registry.save(await unetArtifact(1), meta('liver'));
    const models = path.join(temp.dir, 'models');
    // A save killed after writing the weights, and a folder someone copied in without a record.
    const partial = path.join(models, '.partial-20250101T000000-abcdef');
    mkdirSync(partial);
    writeFileSync(path.join(partial, 'weights.bin'), Buffer.alloc(64));
    mkdirSync(path.join(models, 'stray'));
    expect((await registry.list()).map((r) => r.id)).toEqual([good.id]);
    expect(registry.problems).toEqual([expect.stringMatching(/stray: no record\.json; not a model/)]);
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(partial, old, old);
    await openModelRegistry(temp.dir);
    expect(existsSync(partial)).toBe(false);
    expect((await registry.load(good.id)).record.id).toBe(good.id);
  });

  it('removes one model, and prunes intermediate checkpoints keeping the newest', async () => {
    const registry = await openModelRegistry(temp.dir, { now: steppingClock() });
    const artifact = await unetArtifact(1);
    const checkpoints = [];
    for (const steps of [2, 4, 6]) checkpoints.push(await registry.save(artifact, meta('run', { steps, totalSteps: 8 })));
    const final = await registry.save(artifact, meta('run', { steps: 8, totalSteps: 8 }));
    expect(await registry.pruneCheckpoints('run', 1)).toBe(2);
    expect((await registry.list()).map((r) => r.steps)).toEqual([8, 6]);
    const removed = await registry.remove('run');
    expect(removed.id).toBe(final.id);
    expect((await registry.list()).map((r) => r.id)).toEqual([checkpoints[2]?.id]);
    expect(readdirSync(path.join(temp.dir, 'models')).filter((n) => n.startsWith('.'))).toEqual([]);
    await expect(registry.remove('gone')).rejects.toThrow(/No model called "gone"/);
  });
});
