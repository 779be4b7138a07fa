/**
 * The commands' settings per backend: where the user gives none, `macl eval`,
 * `finetune` and `infer` take the interactive session's for the backend, and
 * settings whose step cannot fit WASM's heap are refused before any work,
 * naming what to lower. The case that used to abort the WASM module:
 * `macl eval` with its defaults on a 1 mm whole-head sized volume.
 */
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkTrainingMemory, fittingInferBatch, resolveEvalSettings, trainingDefaults } from '../../../src-main/cli/backendDefaults';
import { runEvalCommand } from '../../../src-main/cli/evalCommand';
import { finetuneDefaults } from '../../../src-main/cli/finetuneCommand';
import { writeNiftiImage } from '../../../src-main/nifti/niftiImageWriter';
import { writeNiftiLabelMap } from '../../../src-main/nifti/niftiLabelMap';
import { cpuSessionSettings, gpuSessionSettings } from '../../../src-main/session/sessionDefaults';
import type { SeriesGeometry } from '../../../src-main/shared/contract/series';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const wasm = { kind: 'wasm', device: 'WASM SIMD' };
const gpu = { kind: 'webgpu', device: 'NVIDIA H100' };
const temp = tempFolder('backend-defaults');
afterAll(() => temp.cleanup());

describe('settings per backend', () => {
  it('are the interactive session’s: the processor set on wasm, the GPU set on a GPU', () => {
    expect(trainingDefaults(wasm)).toMatchObject({ size: cpuSessionSettings.size, batch: cpuSessionSettings.batch, width: cpuSessionSettings.width, lr: cpuSessionSettings.lr });
    expect(trainingDefaults(gpu)).toMatchObject({ size: gpuSessionSettings.size, batch: gpuSessionSettings.batch, width: gpuSessionSettings.width });
    expect(resolveEvalSettings(wasm, {}, 217, undefined)).toEqual({ settings: { size: 64, batch: 4, width: 16, lr: 5e-3 }, filled: { size: 64, batch: 4, width: 16, lr: 5e-3 } });
    // No upsampling past the image's side; what is given stays, an init model brings its width.
    expect(resolveEvalSettings(gpu, { lr: 1e-3 }, 128, 8).settings).toEqual({ size: 128, batch: 8, width: 8, lr: 1e-3 });
  });

  it('refuses a training step past the WASM heap naming the settings to lower, and leaves GPU backends to their own errors', () => {
    expect(() => resolveEvalSettings(wasm, { size: 256, batch: 8, width: 32 }, 217, undefined)).toThrow(/need about .* GiB of memory per training step, more than the WASM backend's 4\.0 GiB allow\. Lower the size, batch or width.*\(--size, --batch, --width\)/);
    expect(() => checkTrainingMemory(gpu, { size: 256, batch: 8, width: 32 }, 'x')).not.toThrow();
  });

  it('fills finetune’s missing settings (not the width of an init model) and halves a default inference batch until it fits', () => {
    const base = { workspaceDir: '/ws', image: { path: '/x.nii' }, out: 'm' };
    expect(finetuneDefaults({ ...base, size: 128 }, wasm).params).toMatchObject({ size: 128, batch: 4, width: 16, lr: 5e-3 });
    const warm = finetuneDefaults({ ...base, init: 'pre' }, wasm);
    expect(warm.params.width).toBeUndefined();
    expect(warm.note).toMatch(/On the wasm backend \(no GPU\), defaults as in the interactive session: size 64, batch 4, lr 0\.005\./);
    expect(fittingInferBatch(wasm, { size: 64, width: 16 }, 8, false, 'x')).toBe(8);
    const halved = fittingInferBatch(wasm, { size: 256, width: 32 }, 16, false, 'x');
    expect(halved).toBeLessThan(16);
    expect(() => fittingInferBatch(wasm, { size: 256, width: 32 }, 16, true, 'Inference with these settings')).toThrow(/per inference pass.*\(--batch\)/);
  });
});

describe('macl eval with its defaults on a 1 mm whole-head sized volume (181x217x181) on WASM', () => {
  it('finishes with a Dice per label instead of aborting the module', async () => {
    const [nx, ny, nz] = [181, 217, 181];
    const geometry: SeriesGeometry = { dimensions: [nx, ny, nz], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' };
    const image = new Float32Array(nx * ny * nz);
    const truth = new Uint8Array(nx * ny * nz);
    for (let z = 0; z < nz; z += 1) {
      for (let y = 0; y < ny; y += 1) {
        for (let x = 0; x < nx; x += 1) {
          const i = x + y * nx + z * nx * ny;
          const inside = ((x - 90) / 70) ** 2 + ((y - 108) / 85) ** 2 + ((z - 90) / 70) ** 2 < 1;
          truth[i] = inside ? 1 : 0;
          image[i] = (inside ? 600 : 100) + ((i * 2654435761) % 97);
        }
      }
    }
    const imageFile = path.join(temp.dir, 'head.nii.gz');
    const truthFile = path.join(temp.dir, 'brain.nii.gz');
    await writeNiftiImage(imageFile, image, geometry);
    await writeNiftiLabelMap(truthFile, truth, geometry);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Only the step count is small (speed); size, width, batch and lr are the defaults under test.
      const code = await runEvalCommand(['--image', imageFile, '--truth', truthFile, '--scribble-slices', '1', '--steps', '2', '--backend', 'wasm', '--json', '--workspace', temp.dir]);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const result = JSON.parse(printed.at(-1) ?? '{}') as { backend: string; size: number; width: number; batch: number; labels: Array<{ label: number; dice: number; truthVoxels: number }> };
    expect(result).toMatchObject({ backend: 'wasm', size: 64, width: 16, batch: 4 });
    expect(result.labels).toHaveLength(1);
    expect(result.labels[0]?.truthVoxels).toBeGreaterThan(1_000_000);
    expect(Number.isFinite(result.labels[0]?.dice)).toBe(true);
  }, 300_000);
});
