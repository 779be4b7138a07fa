import { beforeAll, describe, expect, it } from 'vitest';
import { recalibrateBatchNorm } from '../../../../src-main/ml/bnRecalibration';
import { createUNet, type UNet } from '../../../../src-main/ml/unet';
import type { Volume } from '../../../../src-main/ml/volume';
import type { SliceLabels } from '../../../../src-main/trainer/jobs/interactiveLayers';
import { midBurstRecalibrationSlices, ShownVersion } from '../../../../src-main/trainer/jobs/shownVersion';
import { worstStrokeFit } from '../../../../src-main/trainer/jobs/strokeFit';
import { segmentVolume } from '../../../../src-main/ml/inference';
import { useCpu } from '../../ml/helpers';

beforeAll(useCpu);

/** 16 x 16 slices whose brightness rises with z, so statistics over part of the volume differ from the whole's. */
function rampVolume(depth: number): Volume {
  const data = new Float32Array(16 * 16 * depth);
  for (let z = 0; z < depth; z += 1) for (let i = 0; i < 256; i += 1) data[z * 256 + i] = (z / depth) * (0.5 + 0.5 * Math.sin(i * 0.37 + z));
  return { data, width: 16, height: 16, depth };
}

const frame = { roi: null, classWeights: null };
const values = async (unet: UNet, name: string): Promise<number[]> => Array.from(await unet.params.get(name).data());

/** Slice k labelled: the left half background, one column of class 1 on the right. */
function strokesOn(k: number): SliceLabels {
  const labels = new Int32Array(256).fill(-1);
  for (let y = 0; y < 16; y += 1) {
    for (let x = 0; x < 8; x += 1) labels[y * 16 + x] = 0;
    labels[y * 16 + 12] = 1;
  }
  return { k, labels, maxLabel: 1 };
}

describe('the shown network version', () => {
  it("recalibrates the proposal over the strokes' slab and leaves the live network's statistics alone", async () => {
    const volume = rampVolume(12);
    const live = createUNet({ classes: 2, width: 4, seed: 3 });
    const shown = new ShownVersion(volume, { size: 16, inferBatch: 4 });
    const liveMean = await values(live, 'enc1.bn1.mean');
    await shown.propose(live, frame, [6, 11]);
    shown.accept();
    const expected = createUNet({ classes: 2, width: 4, seed: 3 });
    await recalibrateBatchNorm(expected, volume, { size: 16, sliceRange: [6, 11] });
    const model = shown.model as UNet;
    expect(await values(model, 'enc1.bn1.mean')).toEqual(await values(expected, 'enc1.bn1.mean'));
    expect(await values(model, 'dec4.bn2.var')).toEqual(await values(expected, 'dec4.bn2.var'));
    expect(await values(model, 'enc1.conv1.w')).toEqual(await values(live, 'enc1.conv1.w'));
    expect(await values(live, 'enc1.bn1.mean')).toEqual(liveMean);
    [live, expected].forEach((unet) => unet.dispose());
    shown.dispose();
  });

  it('recalibrates a proposal made while the burst runs on fewer slices of the slab, the burst\'s last on the default', async () => {
    // 40 slices in the slab: 16 and 32 spread slices differ, so the two statistics do too.
    const volume = rampVolume(40);
    const live = createUNet({ classes: 2, width: 4, seed: 3 });
    const shown = new ShownVersion(volume, { size: 16, inferBatch: 4 });
    const recalibrated = async (slices?: number): Promise<number[]> => {
      const expected = createUNet({ classes: 2, width: 4, seed: 3 });
      await recalibrateBatchNorm(expected, volume, { size: 16, sliceRange: [0, 39], ...(slices === undefined ? {} : { slices }) });
      const mean = await values(expected, 'enc1.bn1.mean');
      expected.dispose();
      return mean;
    };
    await shown.propose(live, frame, [0, 39], true);
    shown.accept();
    const midBurst = await values(shown.model as UNet, 'enc1.bn1.mean');
    expect(midBurst).toEqual(await recalibrated(midBurstRecalibrationSlices));
    await shown.propose(live, frame, [0, 39]);
    shown.accept();
    const last = await values(shown.model as UNet, 'enc1.bn1.mean');
    expect(last).toEqual(await recalibrated());
    expect(last).not.toEqual(midBurst);
    live.dispose();
    shown.dispose();
  });

  it('keeps the shown version when a proposal is dropped, and shows the next accepted one', async () => {
    const volume = rampVolume(8);
    const first = createUNet({ classes: 2, width: 4, seed: 3 });
    const second = createUNet({ classes: 2, width: 4, seed: 4 });
    const shown = new ShownVersion(volume, { size: 16, inferBatch: 4 });
    expect(shown.model).toBeNull();
    await shown.propose(first, frame, null);
    shown.accept();
    const kept = await values(shown.model as UNet, 'enc1.conv1.w');
    await shown.propose(second, frame, null);
    shown.drop();
    expect(await values(shown.model as UNet, 'enc1.conv1.w')).toEqual(kept);
    await shown.propose(second, frame, null);
    shown.accept();
    expect(await values(shown.model as UNet, 'enc1.conv1.w')).toEqual(await values(second, 'enc1.conv1.w'));
    [first, second].forEach((unet) => unet.dispose());
    shown.dispose();
  });

  it("scores the proposal and the shown version on the strokes, the shown one once per labels revision", async () => {
    const volume = rampVolume(8);
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    const shown = new ShownVersion(volume, { size: 16, inferBatch: 4 });
    const strokes = [strokesOn(2), strokesOn(5)];
    expect(await shown.currentFit(strokes, 1)).toBeNull();
    await shown.propose(unet, frame, null);
    const fit = await shown.proposedFit(strokes);
    // The same weights (same seed), recalibrated on the whole volume as the proposal was, segment the two stroked slices.
    const expected = createUNet({ classes: 2, width: 4, seed: 3 });
    await recalibrateBatchNorm(expected, volume, { size: 16 });
    const predicted = (await segmentVolume(expected, { ...volume, data: Float32Array.from([...volume.data.subarray(2 * 256, 3 * 256), ...volume.data.subarray(5 * 256, 6 * 256)]), depth: 2 }, { size: 16, batch: 2 })).labels;
    expect(fit).toEqual(worstStrokeFit(strokes, predicted, 256));
    expected.dispose();
    // A measured fit handed over at accept() stands for its revision; a new revision is measured.
    shown.accept({ revision: 1, fit: { classIndex: 1, share: 0.5 } });
    expect(await shown.currentFit(strokes, 1)).toEqual({ classIndex: 1, share: 0.5 });
    expect(await shown.currentFit(strokes, 2)).toEqual(fit);
    await expect(shown.proposedFit(strokes)).rejects.toThrow(/no version is proposed/);
    unet.dispose();
    shown.dispose();
  });
});
