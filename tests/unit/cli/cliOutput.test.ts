/**
 * The CLI prints the project's own lines only: no tfjs banner ("Hi, looks like
 * you are running TensorFlow.js in Node.js") and no Vulkan warnings from Dawn
 * on a machine without a GPU, unless --verbose. The CLI and the trainer it
 * forks are bundled as scripts/build.mjs bundles them (under build/, so their
 * external packages resolve from this project's node_modules).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleTrainer } from '../../support/bundleTrainer';
import { missingVulkanDriver } from '../../../src-main/trainer/backends/vulkanDrivers';

const root = path.resolve(__dirname, '../../..');
const tfjsBanner = 'Hi, looks like you are running TensorFlow.js in Node.js';
let outDir = '';

beforeAll(async () => {
  outDir = (await bundleTrainer('test-cli', { cli: true })).dir;
});

afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

/** stdout and stderr of `macl ...args`, with MACL_VERBOSE not inherited from the test runner. */
function macl(...args: string[]): { status: number | null; output: string } {
  const env = { ...process.env };
  delete env.MACL_VERBOSE;
  const run = spawnSync(process.execPath, [path.join(outDir, 'cli.cjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('macl output', () => {
  it('probe on the CPU backend: no tfjs banner; with --verbose, the banner is there', () => {
    const quiet = macl('probe', '--backend', 'cpu');
    expect(quiet.status).toBe(0);
    expect(quiet.output).toMatch(/chosen: cpu/);
    expect(quiet.output).not.toContain(tfjsBanner);
    const verbose = macl('probe', '--backend', 'cpu', '--verbose');
    expect(verbose.status).toBe(0);
    expect(verbose.output).toContain(tfjsBanner);
  });

  it.runIf(missingVulkanDriver() !== null)('probe of webgpu without a Vulkan driver: says so, without Dawn\'s Vulkan warnings', () => {
    const run = macl('probe', '--backend', 'webgpu');
    expect(run.status).toBe(1);
    expect(run.output).toContain('no Vulkan driver installed');
    expect(run.output).not.toMatch(/vkCreateInstance|VK_ERROR/);
  });
});
