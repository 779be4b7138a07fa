/**
 * The parts of `macl eval-suite` a reader of its table relies on: which
 * cases, K and seeds a command line asks for; the truth each case derives
 * from its source labels (relabelled 1..N, on the image's grid, refused when
 * the grids differ, a clear message naming the fetch script when the data is
 * missing); the head mask of the unlabelled DICOM case; and the rows' mean,
 * spread and distance to the target.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { suitePlan } from '../../../src-main/cli/evalSuiteCommand';
import { writeNiftiImage } from '../../../src-main/nifti/niftiImageWriter';
import { writeNiftiLabelMap } from '../../../src-main/nifti/niftiLabelMap';
import type { EvalResult } from '../../../src-main/eval/evalRun';
import { headMask, otsuThreshold } from '../../../src-main/eval/headMask';
import { phantomGeometry } from '../../../src-main/eval/phantomFiles';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { quickCaseIds, suiteCases, type SuiteCase } from '../../../src-main/eval/suiteCases';
import { derivedTruthPath, MissingSuiteDataError, prepareSuiteCase } from '../../../src-main/eval/suiteData';
import { suiteRows, type SuiteRow } from '../../../src-main/eval/suiteRun';
import { evalSwitchDefaults } from '../../../src-main/eval/evalRun';
import { formatSuiteTable, settingsText } from '../../../src-main/eval/suiteTable';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const temp = tempFolder('eval-suite');
afterAll(() => temp.cleanup());

const plan = (args: string[]) => suitePlan(parseArgs({ args, options: { cases: { type: 'string' }, k: { type: 'string' }, seeds: { type: 'string' }, quick: { type: 'boolean' }, steps: { type: 'string' }, size: { type: 'string' }, lr: { type: 'string' }, recalibrate: { type: 'string' }, intensity: { type: 'string' }, 'enclosed-fill': { type: 'string' }, 'class-balanced': { type: 'string' }, 'orientation-augment': { type: 'string' }, 'mirror-guard': { type: 'string' }, interpolate: { type: 'string' } } }).values);

describe('eval-suite command line', () => {
  it('runs every case at K 1,2,3,5 over three seeds by default, and --quick the two brain cases at K=3 over two seeds', () => {
    const all = plan([]);
    if (typeof all === 'string') throw new Error(all);
    expect(all.cases.map((c) => c.id)).toEqual(suiteCases.map((c) => c.id));
    expect(all).toMatchObject({ ks: [1, 2, 3, 5], seeds: [1, 2, 3], steps: 200, given: {} });
    const quick = plan(['--quick', '--steps', '50', '--lr', '0.002']);
    if (typeof quick === 'string') throw new Error(quick);
    expect(quick.cases.map((c) => c.id)).toEqual([...quickCaseIds]);
    expect(quick).toMatchObject({ ks: [3], seeds: [1, 2], steps: 50, given: { lr: 0.002 } });
  });

  it('passes the design switches on or off for before/after runs, and leaves them to runEval when not given', () => {
    const switched = plan(['--recalibrate', 'off', '--intensity', 'on']);
    if (typeof switched === 'string') throw new Error(switched);
    expect(switched.switches).toEqual({ recalibrate: false, intensityAugment: true });
    const plain = plan([]);
    if (typeof plain === 'string') throw new Error(plain);
    expect(plain.switches).toEqual({});
    const interpolated = plan(['--interpolate', 'off']);
    if (typeof interpolated === 'string') throw new Error(interpolated);
    expect(interpolated.switches).toEqual({ interpolate: false });
    const loss = plan(['--class-balanced', 'off', '--orientation-augment', 'on', '--mirror-guard', 'off']);
    if (typeof loss === 'string') throw new Error(loss);
    expect(loss.switches).toEqual({ classBalanced: false, orientationAugment: true, mirrorGuard: false });
    expect(plan(['--recalibrate', 'yes'])).toMatch(/--recalibrate must be on or off/);
  });

  it('reads --enclosed-fill as off, on or a strip depth, and --class-balanced as a switch', () => {
    const strip = plan(['--enclosed-fill', '4', '--class-balanced', 'on']);
    if (typeof strip === 'string') throw new Error(strip);
    expect(strip.switches).toEqual({ enclosedFill: { strip: 4 }, classBalanced: true });
    const on = plan(['--enclosed-fill', 'on']);
    if (typeof on === 'string') throw new Error(on);
    expect(on.switches).toEqual({ enclosedFill: {} });
    const off = plan(['--enclosed-fill', 'off']);
    if (typeof off === 'string') throw new Error(off);
    expect(off.switches).toEqual({ enclosedFill: null });
    expect(plan(['--enclosed-fill', '0'])).toMatch(/--enclosed-fill must be off, on, loss, thin or a positive integer/);
  });

  it('refuses unknown cases and bad lists naming the option', () => {
    expect(plan(['--cases', 'itk-brain,nope'])).toMatch(/No suite case "nope"; the cases are: itk-brain/);
    expect(plan(['--k', '0,3'])).toMatch(/--k must be integers >= 1/);
    expect(plan(['--size', '100'])).toMatch(/--size must be a multiple of 16/);
    expect(plan(['--steps', 'many'])).toMatch(/--steps must be a positive integer/);
  });
});

/** A tiny "Debian package" in the data cache: a phantom image and a label volume with atlas-like values. */
async function fakePackage(dataDir: string, shiftGrid = false): Promise<SuiteCase> {
  const phantom = generatePhantom({ size: 32, slices: 8, seed: 5 });
  const root = path.join(dataDir, 'fake-package', 'data');
  mkdirSync(root, { recursive: true });
  const geometry = phantomGeometry(phantom);
  await writeNiftiImage(path.join(root, 'image.nii.gz'), phantom.image, geometry);
  // Atlas values: organ 37, ring 71, vessel 200.
  const atlas = phantom.truth.map((v) => [0, 37, 71, 200][v] ?? 0);
  const labelGeometry = shiftGrid ? { ...geometry, originMm: [geometry.originMm[0] + 5, geometry.originMm[1], geometry.originMm[2]] as const } : geometry;
  await writeNiftiLabelMap(path.join(root, 'atlas.nii.gz'), Uint8Array.from(atlas), labelGeometry as typeof geometry);
  return {
    id: 'fake',
    title: 'fake',
    source: { kind: 'debian', package: 'fake-package', image: 'data/image.nii.gz', labels: 'data/atlas.nii.gz' },
    provenance: 'test',
    truth: 'values',
    structures: [
      { label: 1, name: 'ring', kind: 'structure', sourceValues: [71] },
      { label: 2, name: 'vessel', kind: 'structure', sourceValues: [200] },
    ],
  };
}

describe('eval-suite data', () => {
  it('derives the truth from the source values, relabelled 1..N with the other values as background, once', async () => {
    const dataDir = path.join(temp.dir, 'cache');
    const suiteCase = await fakePackage(dataDir);
    const phantom = generatePhantom({ size: 32, slices: 8, seed: 5 });
    const prepared = await prepareSuiteCase(suiteCase, dataDir);
    expect(prepared.labels).toEqual([1, 2]);
    expect(existsSync(derivedTruthPath(dataDir, suiteCase))).toBe(true);
    const expected = phantom.truth.map((v) => (v === 2 ? 1 : v === 3 ? 2 : 0));
    expect(Array.from(prepared.truth)).toEqual(Array.from(expected));
    // A changed definition gets its own file.
    const other = { ...suiteCase, structures: suiteCase.structures.slice(0, 1) };
    expect(derivedTruthPath(dataDir, other)).not.toBe(derivedTruthPath(dataDir, suiteCase));
  });

  it('refuses labels on another grid, and a missing package with the fetch script named', async () => {
    const shifted = await fakePackage(path.join(temp.dir, 'shifted'), true);
    await expect(prepareSuiteCase(shifted, path.join(temp.dir, 'shifted'))).rejects.toThrow(/atlas\.nii\.gz is not on the grid of .*image\.nii\.gz/);
    const missing = prepareSuiteCase(suiteCases[0] as SuiteCase, path.join(temp.dir, 'empty'));
    await expect(missing).rejects.toBeInstanceOf(MissingSuiteDataError);
    await expect(missing).rejects.toThrow(/KmeansTest_T1UCharRaw\.nii\.gz is missing\. Run scripts\/fetch-real-data\.sh/);
  });

  it('takes the head against air: bright blob with a dark hole inside is all head, the noisy air around it is not', () => {
    const width = 40;
    const height = 40;
    const image = new Float32Array(width * height * 2);
    let noise = 1;
    for (let z = 0; z < 2; z += 1) {
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          noise = (noise * 16807) % 2147483647;
          const r = Math.hypot(x - 20, y - 20);
          // Head: radius 12, a dark "ventricle" of radius 4 inside; air: noise 0-20.
          image[x + y * width + z * width * height] = r < 4 ? 10 : r < 12 ? 300 : (noise % 20);
        }
      }
    }
    expect(otsuThreshold(image)).toBeGreaterThan(19); // above all the air (0-19)
    expect(otsuThreshold(image)).toBeLessThan(300);
    const mask = headMask(image, { width, height, depth: 2 });
    expect(mask[20 + 20 * width]).toBe(1);
    expect(mask[20 + 10 * width]).toBe(1);
    expect(mask[2 + 2 * width]).toBe(0);
    const inside = Array.from(mask.subarray(0, width * height)).filter((v) => v === 1).length;
    expect(inside).toBeGreaterThan(Math.PI * 11 * 11);
    expect(inside).toBeLessThan(Math.PI * 13 * 13);
  });
});

describe('eval-suite rows', () => {
  const run = (dice: number[], seconds: number): EvalResult => ({
    labels: dice.map((d, i) => ({ label: i + 1, dice: d, labelledVoxels: 10, backgroundVoxels: 10, slices: [1], truthVoxels: 1000 * (i + 1), predictedVoxels: 900 })),
    meanDice: 0,
    labelledVoxels: 20,
    steps: 10,
    init: 'scratch',
    statistics: 'recalibrated',
    classBalanced: false,
    mirrorGuard: true,
    method: 'supervised',
    sampling: 'resize',
    roi: null,
    lossFirst: 1,
    lossLast: 0.1,
    finetuneSeconds: seconds,
    inferenceSeconds: 1,
    seconds: seconds + 1,
    backend: 'wasm',
    size: 64,
    width: 16,
    batch: 4,
    seed: 1,
    curve: [],
  });

  it('gives per structure the mean, sample SD and range over the seeds and how far off its target', () => {
    const suiteCase = suiteCases.find((c) => c.id === 'itk-tissue') as SuiteCase;
    const settings = { size: 64, width: 16, batch: 4, lr: 5e-3, steps: 10 };
    const rows = suiteRows(suiteCase, 3, [1, 2], [run([0.5, 0.8, 0.9], 10), run([0.7, 0.9, 0.9], 20)], settings);
    expect(rows.map((r) => r.structure)).toEqual(['tissue 4 (edge specks)', 'tissue 5 (outer layer)', 'tissue 6 (inside)']);
    expect(rows[0]?.diceMean).toBeCloseTo(0.6, 10);
    expect(rows[0]?.diceSd).toBeCloseTo(Math.sqrt(0.02), 10);
    expect(rows[0]).toMatchObject({ diceMin: 0.5, diceMax: 0.7, target: 0.85, finetuneSeconds: 15, truthVoxels: 1000 });
    expect(rows[0]?.offBy).toBeCloseTo(-0.25, 10);
    expect(rows[2]?.offBy).toBeCloseTo(0.05, 10);
    const table = formatSuiteTable(rows);
    expect(table).toContain('| itk-tissue | tissue 4 (edge specks) (1000) | 3 | 0.600 ± 0.141 (0.50-0.70) | 2 | 15.0 | 1.0 | >= 0.85 | -0.250 | wasm size 64 width 16 batch 4 lr 0.005 10 steps |');
    expect(table).toContain('| >= 0.85 | met |');
  });

  it('names every design switch a row ran with, and only the stroke-connected filter, the extent limit and the interpolation for the pixel classifier', () => {
    const suiteCase = suiteCases.find((c) => c.id === 'itk-tissue') as SuiteCase;
    const settings = { size: 64, width: 16, batch: 4, lr: 5e-3, steps: 10, ...evalSwitchDefaults, roi: false };
    const [network] = suiteRows(suiteCase, 3, [1], [run([0.5, 0.8, 0.9], 10)], settings);
    const [forest] = suiteRows(suiteCase, 3, [1], [run([0.5, 0.8, 0.9], 10)], settings, 'forest');
    expect(settingsText(network as SuiteRow)).toBe('wasm size 64 width 16 batch 4 lr 0.005 10 steps, recalibration on, recalibration judged off, intensity off, stroke-connected on, extent limit on, interpolation on, region of interest off, prior undone on, prior cap on, several structures balanced on, class-balanced off, mirror on, mirror guard on, enclosed fill auto');
    expect(settingsText(forest as SuiteRow)).toBe('forest: pixel classifier (no network), stroke-connected on, extent limit on, interpolation on');
  });
});
