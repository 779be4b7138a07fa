/**
 * The tfjs patches (src-main/ml/tfjsPatches) rely on tfjs internals of one
 * release. This fails when the installed tfjs, or the version package.json
 * asks for, is not that release: re-check every patch against the new
 * version (tests/unit/ml/webgpuKernels.test.ts, webgpuParity.test.ts,
 * reductionGradients.test.ts on SwiftShader and a GPU) before moving the pin.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installTfjsPatches, patchedTfjsVersion, tfjsVersionMismatch } from '../../../src-main/ml/tfjsPatches/installTfjsPatches';
import { reductionGradientsInstalled, setReductionGradients } from '../../../src-main/ml/tfjsPatches/reductionGradients';

const root = path.resolve(__dirname, '../../..');
const require = createRequire(path.join(root, 'package.json'));
const tfjsPackages = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'];

afterEach(() => setReductionGradients(false));

describe('the tfjs version the patches were written for', () => {
  it('is the version installed in node_modules', () => {
    for (const name of tfjsPackages) {
      const { version } = require(`${name}/package.json`) as { version: string };
      expect(`${name} ${version}`).toBe(`${name} ${patchedTfjsVersion}`);
    }
    expect(tfjsVersionMismatch()).toBeNull();
  });

  it('is the exact version package.json pins (no range)', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = { ...manifest.dependencies, ...manifest.optionalDependencies };
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node-gpu']) {
      expect(`${name} ${declared[name] ?? 'missing'}`).toBe(`${name} ${patchedTfjsVersion}`);
    }
  });

  it('under another tfjs version, every patch stays off and the reason is given', async () => {
    await tf.setBackend('cpu');
    expect(installTfjsPatches(undefined, { ...tf.version, 'tfjs-core': '4.23.0' })).toEqual([expect.stringMatching(/tfjs-core 4\.23\.0 is not 4\.22\.0/)]);
    expect(reductionGradientsInstalled()).toBe(false);
    expect(installTfjsPatches()).toEqual([]);
    expect(reductionGradientsInstalled()).toBe(true);
  });
});
