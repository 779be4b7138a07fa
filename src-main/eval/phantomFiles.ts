/**
 * Writes phantom volumes (phantom.ts) as NIfTI pairs for `macl eval` and
 * `macl pretrain`: images/phantom-<seed>.nii.gz (int16 image) and
 * truth/phantom-<seed>.nii.gz (uint8 labels) on an axial grid of 1 x 1 x 2 mm,
 * plus phantoms.json naming each pair's structures and their slices. The
 * images/ folder alone is an unlabelled archive for pre-training. Every
 * file is written atomically (the NIfTI writers and writeJsonAtomic).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeNiftiImage } from '../nifti/niftiImageWriter';
import { writeNiftiLabelMap } from '../nifti/niftiLabelMap';
import type { SeriesGeometry } from '../shared/contract/series';
import { writeJsonAtomic } from '../workspace/atomicWrite';
import { generatePhantom, type PhantomOptions, type PhantomStructure, type PhantomVolume } from './phantom';

/** One written pair. */
export interface PhantomFiles {
  readonly seed: number;
  readonly image: string;
  readonly truth: string;
  readonly structures: readonly PhantomStructure[];
}

/** The grid a phantom is written on: axial, identity directions, origin 0. */
export function phantomGeometry(phantom: PhantomVolume): SeriesGeometry {
  const [sx, sy, sz] = phantom.spacingMm;
  return {
    dimensions: [phantom.width, phantom.height, phantom.depth],
    spacingMm: [sx, sy, sz],
    originMm: [0, 0, 0],
    direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    orientation: 'axial',
  };
}

/** Writes `count` phantoms with seeds seed, seed+1, ... into `dir` (created when missing). */
export async function writePhantomSet(dir: string, options: PhantomOptions & { readonly count?: number }): Promise<PhantomFiles[]> {
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`writePhantomSet: count must be an integer from 1 to 10000, got ${count}.`);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await mkdir(path.join(dir, 'truth'), { recursive: true });
  const first = options.seed ?? 1;
  const written: PhantomFiles[] = [];
  for (let i = 0; i < count; i += 1) {
    const seed = first + i;
    const phantom = generatePhantom({ ...options, seed });
    const geometry = phantomGeometry(phantom);
    const image = path.join(dir, 'images', `phantom-${seed}.nii.gz`);
    const truth = path.join(dir, 'truth', `phantom-${seed}.nii.gz`);
    await writeNiftiImage(image, phantom.image, geometry);
    await writeNiftiLabelMap(truth, phantom.truth, geometry);
    written.push({ seed, image, truth, structures: phantom.structures });
  }
  const manifest = {
    generator: 'macl phantom (src-main/eval/phantom.ts)',
    size: options.size ?? 64,
    slices: options.slices ?? 32,
    noise: options.noise ?? 0.04,
    bias: options.bias ?? 0.1,
    volumes: written.map((w) => ({ seed: w.seed, image: path.relative(dir, w.image), truth: path.relative(dir, w.truth), structures: w.structures })),
  };
  await writeJsonAtomic(path.join(dir, 'phantoms.json'), manifest);
  return written;
}
