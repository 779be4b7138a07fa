/**
 * `macl export-seg`: a NIfTI label map whose affine stores the slices in the
 * opposite order is placed through its affine, written as a SEG that
 * dciodvfy accepts and pydicom decodes to the same voxels; the bad cases
 * answer with their message and exit code.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExportSegCommand } from '../../../../src-main/cli/exportSegCommand';
import { readSeg } from '../../../../src-main/dicom/seg/segReader';
import { loadEvalCase } from '../../../../src-main/eval/evalInputs';
import { writeNifti } from '../helpers/niftiWriter';
import { tempDir } from '../helpers/testData';
import { dciodvfy, pydicomDecodeSeg } from './helpers/segChecks';
import { importCase, paintBox, writeAxial, type SegCase } from './helpers/segCases';

const temp = tempDir('segcli');
afterAll(() => temp.cleanup());
afterEach(() => vi.restoreAllMocks());

let series: SegCase;
let expected: Uint8Array;
const seriesDir = path.join(temp.dir, 'series');
const labelsFile = path.join(temp.dir, 'labels.nii.gz');
const [nx, ny, nz] = [7, 5, 6];

/** The axial case's grid in RAS with k reversed: NIfTI voxel (a, b, c) is series voxel (a, b, nz-1-c). */
const flippedSform = [
  [-0.6, 0, 0, 10],
  [0, -0.7, 0, 20],
  [0, 0, -2.5, -47.5],
] as const;

function writeFlipped(file: string, volume: Uint8Array, dims: readonly [number, number, number] = [nx, ny, nz]): void {
  const values = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (let c = 0; c < dims[2]; c++) for (let b = 0; b < dims[1]; b++) for (let a = 0; a < dims[0]; a++) values[a + b * dims[0] + c * dims[0] * dims[1]] = volume[a + b * nx + (nz - 1 - c) * nx * ny] ?? 0;
  writeNifti(file, { dims, datatype: 2, pixdim: [0.6, 0.7, 2.5], sform: flippedSform, values, gzip: file.endsWith('.gz') });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)));
  const code = await runExportSegCommand(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  await writeAxial(seriesDir);
  series = await importCase(seriesDir);
  expected = new Uint8Array(nx * ny * nz);
  paintBox(expected, [nx, ny, nz], [0, 3, 0, 2, 0, 2], 2); // low slices only: a z-flip would show
  paintBox(expected, [nx, ny, nz], [4, 7, 2, 5, 4, 6], 5);
  writeFlipped(labelsFile, expected);
});

describe('macl export-seg', () => {
  it('writes a valid SEG of a NIfTI label map placed through its affine', async () => {
    const out = path.join(temp.dir, 'out', 'seg.dcm');
    const segments = JSON.stringify([
      { label: 5, name: 'Kidney', color: '#0000aa', type: { scheme: 'SCT', value: '64033007', meaning: 'Kidney' } },
      { label: 2, name: 'Liver' },
    ]);
    const run = await cli(['--series', seriesDir, '--labels', labelsFile, '--out', out, '--segments', segments, '--description', 'CLI export', '--series-number', '77', '--creator', 'Doe^John']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Wrote .*seg\.dcm: \d+ frame\(s\) over 6 source slice\(s\)/);
    const check = dciodvfy(out);
    expect(check.errors, check.output).toEqual([]);
    expect(check.status).toBe(0);
    const decoded = pydicomDecodeSeg(out, series.entry.slices, [
      { number: 1, volume: expected, value: 5 },
      { number: 2, volume: expected, value: 2 },
    ]);
    expect(decoded.errors).toEqual([]);
    expect(decoded.segments.map((s) => [s.diceByUid, s.diceByPosition])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    const seg = await readSeg(out);
    expect(seg.segments.map((s) => [s.name, s.type?.meaning, s.algorithmType])).toEqual([
      ['Kidney', 'Kidney', 'MANUAL'],
      ['Liver', 'Tissue', 'MANUAL'],
    ]);
  });

  it('serves as the truth of macl eval: placed on the series voxel for voxel, segment numbers as labels', async () => {
    const out = path.join(temp.dir, 'out', 'seg.dcm');
    const evalCase = await loadEvalCase(seriesDir, out, path.join(temp.dir, 'workspace'));
    expect([evalCase.width, evalCase.height, evalCase.depth]).toEqual([nx, ny, nz]);
    const segmentOf = new Map([[5, 1], [2, 2]]);
    expect(Array.from(evalCase.truth)).toEqual(Array.from(expected, (label) => segmentOf.get(label) ?? 0));
    await expect(loadEvalCase(seriesDir, path.join(temp.dir, 'missing.dcm'), temp.dir)).rejects.toThrow(/No such truth file: .*missing\.dcm/);
  });

  it('exports every label present by default, SEMIAUTOMATIC with --model-version', async () => {
    const out = path.join(temp.dir, 'default.dcm');
    const run = await cli(['--series', seriesDir, '--labels', labelsFile, '--out', out, '--model-version', 'm-7']);
    expect(run.code).toBe(0);
    const seg = await readSeg(out);
    expect(seg.segments.map((s) => [s.name, s.algorithmType])).toEqual([
      ['Label 2', 'SEMIAUTOMATIC'],
      ['Label 5', 'SEMIAUTOMATIC'],
    ]);
  });

  it('refuses nothing to export (exit 3)', async () => {
    const empty = path.join(temp.dir, 'empty.nii');
    writeFlipped(empty, new Uint8Array(nx * ny * nz));
    const run = await cli(['--series', seriesDir, '--labels', empty, '--out', path.join(temp.dir, 'x.dcm')]);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/Nothing to export: .*empty\.nii holds no labelled voxel/);
    const absent = await cli(['--series', seriesDir, '--labels', labelsFile, '--out', path.join(temp.dir, 'y.dcm'), '--segments', '[{"label": 9}]']);
    expect(absent.code).toBe(3);
    expect(absent.err).toMatch(/Nothing to export for label\(s\) 9/);
  });

  it('refuses labels of another grid (exit 4)', async () => {
    const other = path.join(temp.dir, 'other.nii');
    writeFlipped(other, expected, [nx, ny, nz - 1]);
    const run = await cli(['--series', seriesDir, '--labels', other, '--out', path.join(temp.dir, 'z.dcm')]);
    expect(run.code).toBe(4);
    expect(run.err).toMatch(/The labels do not fit series .*other\.nii does not cover the voxels of the series/);
  });

  it('refuses a missing series folder (exit 5) and bad usage (exit 2)', async () => {
    const run = await cli(['--series', path.join(temp.dir, 'nowhere'), '--labels', labelsFile, '--out', path.join(temp.dir, 'w.dcm')]);
    expect(run.code).toBe(5);
    expect(run.err).toMatch(/The series folder .*nowhere does not exist/);
    expect((await cli(['--labels', labelsFile])).code).toBe(2);
    expect((await cli(['--series', seriesDir, '--labels', labelsFile, '--out', 'v.dcm', '--segments', '[{"label": 0}]'])).err).toMatch(/--segments: 0\.label/);
  });
});
