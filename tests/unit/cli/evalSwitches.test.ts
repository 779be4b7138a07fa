/**
 * `macl eval --class-balanced`, `--several-structures` and `--mirror-guard`:
 * the switches reach the run, and the report says which loss and mirror the run used (eval-suite
 * had them; a user reproducing one suite row with `macl eval` needs them too).
 */
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runEvalCommand } from '../../../src-main/cli/evalCommand';
import { writeNiftiImage } from '../../../src-main/nifti/niftiImageWriter';
import { writeNiftiLabelMap } from '../../../src-main/nifti/niftiLabelMap';
import type { SeriesGeometry } from '../../../src-main/shared/contract/series';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const temp = tempFolder('eval-switches');
afterAll(() => temp.cleanup());

/** A 48x48x8 volume with a disc left of centre (label 1) and one right of it (label 2). */
async function twinDiscs(): Promise<{ image: string; truth: string }> {
  const [nx, ny, nz] = [48, 48, 8];
  const geometry: SeriesGeometry = { dimensions: [nx, ny, nz], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' };
  const image = new Float32Array(nx * ny * nz);
  const truth = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z += 1) for (let y = 0; y < ny; y += 1) for (let x = 0; x < nx; x += 1) {
    const i = x + y * nx + z * nx * ny;
    const left = (x - 14) ** 2 + (y - 24) ** 2 < 64;
    const right = (x - 34) ** 2 + (y - 24) ** 2 < 64;
    truth[i] = left ? 1 : right ? 2 : 0;
    image[i] = left || right ? 500 : 100;
  }
  const files = { image: path.join(temp.dir, 'discs.nii.gz'), truth: path.join(temp.dir, 'discs-truth.nii.gz') };
  await writeNiftiImage(files.image, image, geometry);
  await writeNiftiLabelMap(files.truth, truth, geometry);
  return files;
}

async function evalJson(args: readonly string[]): Promise<{ classBalanced: boolean; mirrorGuard: boolean }> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await runEvalCommand([...args, '--steps', '1', '--size', '48', '--backend', 'wasm', '--json', '--workspace', temp.dir, '--recalibrate', 'off', '--enclosed-fill', 'off'])).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return JSON.parse(printed.at(-1) ?? '{}') as { classBalanced: boolean; mirrorGuard: boolean };
}

describe('macl eval --class-balanced and --mirror-guard', () => {
  it('runs two structures with the balanced loss and the guard by default, and with what the switches say', async () => {
    const { image, truth } = await twinDiscs();
    const base = ['--image', image, '--truth', truth, '--scribble-slices', '1'];
    expect(await evalJson(base)).toMatchObject({ classBalanced: true, mirrorGuard: true });
    expect(await evalJson([...base, '--several-structures', 'off'])).toMatchObject({ classBalanced: false, mirrorGuard: true });
    expect(await evalJson([...base, '--several-structures', 'off', '--class-balanced', 'on', '--mirror-guard', 'off'])).toMatchObject({ classBalanced: true, mirrorGuard: false });
  }, 120_000);
});
