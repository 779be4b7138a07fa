/**
 * An archive folder with NIfTI volumes beside DICOM series: the pre-training
 * selection uses both, loads the NIfTI volume into its pool, and lists every
 * file it leaves out with the reason.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNiftiImage } from '../../../../src-main/nifti/niftiImageWriter';
import type { SeriesGeometry } from '../../../../src-main/shared/contract/series';
import { openArchivePool, selectArchiveSeries } from '../../../../src-main/trainer/jobs/archivePool';
import { useCpu } from '../../ml/helpers';
import { tempFolder, writePhantomArchive } from './jobFixtures';

const temp = tempFolder('archive-nifti');
const archive = path.join(temp.dir, 'archive');
const workspaceDir = path.join(temp.dir, 'ws');

function geometry(nx: number, ny: number, nz: number): SeriesGeometry {
  return { dimensions: [nx, ny, nz], spacingMm: [1, 1, 1.5], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' };
}

beforeAll(async () => {
  await useCpu();
  writePhantomArchive(archive, 1, 12);
  const t1 = Float32Array.from({ length: 40 * 32 * 20 }, (_, i) => (i * 37) % 500);
  await writeNiftiImage(path.join(archive, 'mr', 't1.nii.gz'), t1, geometry(40, 32, 20));
  await writeNiftiImage(path.join(archive, 'thin.nii'), new Float32Array(16 * 16 * 3), geometry(16, 16, 3));
  writeFileSync(path.join(archive, 'broken.nii.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  writeFileSync(path.join(archive, 'notes.txt'), 'not an image');
});
afterAll(() => temp.cleanup());

describe('archive selection with NIfTI volumes', () => {
  it('uses the DICOM series and the NIfTI volume, and lists each file left out with the reason', async () => {
    const selection = await selectArchiveSeries(archive, workspaceDir, 8, undefined, () => undefined);
    expect(selection.usable.map((s) => [s.source, s.sliceCount])).toEqual([['dicom', 12], ['nifti', 20]]);
    const nifti = selection.usable[1]!;
    expect(nifti.description).toBe(path.join('mr', 't1.nii.gz'));
    expect(nifti.slices.map((s) => s.relativePosition).slice(0, 2)).toEqual([1 / 20, 2 / 20]);
    expect(selection.skipped).toHaveLength(3);
    expect(selection.skipped).toEqual(expect.arrayContaining([
      expect.stringMatching(/^broken\.nii\.gz: .*gzip/),
      'notes.txt: neither DICOM nor NIfTI (.nii, .nii.gz)',
      'thin.nii: 3 slices (fewer than 8)',
    ]));
  });

  it('loads the NIfTI volume into the pre-training pool at the training size', async () => {
    const selection = await selectArchiveSeries(archive, workspaceDir, 8, undefined, () => undefined);
    const pool = await openArchivePool(selection.usable.filter((s) => s.source === 'nifti'), { size: 64, capacity: 2, seed: 1 });
    expect(pool.volumes).toHaveLength(1);
    expect(pool.volumes[0]!.volume).toMatchObject({ width: 64, height: 64, depth: 20 });
    expect(Math.max(...pool.volumes[0]!.volume.data)).toBeGreaterThan(0.5);
  });
});
