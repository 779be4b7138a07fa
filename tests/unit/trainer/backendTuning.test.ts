/**
 * The environment settings a GPU machine uses to compare backend choices:
 * MACL_TFJS_FLAGS (tfjs flags after activation), MACL_WEBGPU_KERNELS (which
 * hand-written WebGPU kernels are used) and bench-ml's --shapes. Wrong values
 * give a message naming the variable and what it takes, and change nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseShapes } from '../../../src-main/eval/mlBenchmarks';
import { parseWebgpuKernels, setWebgpuKernels, useWebgpuKernel, webgpuKernelNames, webgpuKernels } from '../../../src-main/ml/tfjsPatches/kernelChoice';
import { reductionGradientsInstalled } from '../../../src-main/ml/tfjsPatches/reductionGradients';
import { tuneActiveBackend } from '../../../src-main/trainer/backends/backendTuning';
import { applyTfjsFlagsSetting, parseTfjsFlags } from '../../../src-main/trainer/tfjsFlagsSetting';

afterEach(() => {
  tf.env().set('DEBUG', false);
  setWebgpuKernels(webgpuKernelNames);
});

describe('MACL_TFJS_FLAGS', () => {
  it('parses a JSON object of numbers and booleans; unset or blank is no flags', () => {
    expect(parseTfjsFlags(undefined)).toEqual({ flags: {} });
    expect(parseTfjsFlags('  ')).toEqual({ flags: {} });
    expect(parseTfjsFlags('{"WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE": 64, "DEBUG": false}')).toEqual({ flags: { WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: 64, DEBUG: false } });
  });

  it('refuses what is not such an object, saying what it takes', () => {
    expect(parseTfjsFlags('DEBUG=true')).toMatchObject({ problem: expect.stringMatching(/must be a JSON object such as/) });
    expect(parseTfjsFlags('[1]')).toMatchObject({ problem: expect.stringMatching(/must be a JSON object/) });
    expect(parseTfjsFlags('{"DEBUG": "yes"}')).toMatchObject({ problem: expect.stringMatching(/DEBUG must be a number or true\/false/) });
  });

  it('sets known flags and reports unknown ones by name', () => {
    const problems = applyTfjsFlagsSetting({ MACL_TFJS_FLAGS: '{"DEBUG": true, "NO_SUCH_FLAG": 1}' });
    expect(tf.env().getBool('DEBUG')).toBe(true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/NO_SUCH_FLAG was not set/);
  });
});

describe('MACL_WEBGPU_KERNELS', () => {
  it('takes all, none or a list of known kernels; an unknown name is refused', () => {
    expect(parseWebgpuKernels(undefined)).toEqual([...webgpuKernelNames]);
    expect(parseWebgpuKernels('all')).toEqual([...webgpuKernelNames]);
    expect(parseWebgpuKernels('none')).toEqual([]);
    expect(parseWebgpuKernels('adam')).toEqual(['adam']);
    expect(parseWebgpuKernels('adam, filtergrad')).toEqual(['adam', 'filtergrad']);
    expect(parseWebgpuKernels('adam,conv')).toBeNull();
  });

  it('is never in use on a backend other than webgpu', async () => {
    await tf.setBackend('cpu');
    setWebgpuKernels(['adam']);
    expect([...webgpuKernels()]).toEqual(['adam']);
    expect(useWebgpuKernel('adam')).toBe(false);
  });
});

describe('tuneActiveBackend', () => {
  it('on the CPU backend applies MACL_TFJS_FLAGS and the backend-independent patch, and leaves the WebGPU kernel choice alone', async () => {
    await tf.setBackend('cpu');
    setWebgpuKernels(['filtergrad']);
    expect(tuneActiveBackend({ MACL_TFJS_FLAGS: '{"DEBUG": true}', MACL_WEBGPU_KERNELS: 'nonsense' })).toEqual([]);
    expect(tf.env().getBool('DEBUG')).toBe(true);
    expect([...webgpuKernels()]).toEqual(['filtergrad']);
    expect(reductionGradientsInstalled()).toBe(true);
    expect(tuneActiveBackend({ MACL_REDUCTION_GRADIENTS: '0' })).toEqual([]);
    expect(reductionGradientsInstalled()).toBe(false);
  });
});

describe('bench-ml --shapes', () => {
  it('parses kind:size:batch:width lists and refuses anything else', () => {
    expect(parseShapes('finetune:256:8:32,pretrain:128:4:16')).toEqual([
      { kind: 'finetune', size: 256, batch: 8, width: 32 },
      { kind: 'pretrain', size: 128, batch: 4, width: 16 },
    ]);
    expect(parseShapes('inference:512:16:32')).toEqual([{ kind: 'inference', size: 512, batch: 16, width: 32 }]);
    for (const bad of ['', 'train:256:8:32', 'finetune:256:8', 'finetune:256:0:32', 'finetune:25.5:8:32']) expect(parseShapes(bad)).toBeNull();
  });
});
