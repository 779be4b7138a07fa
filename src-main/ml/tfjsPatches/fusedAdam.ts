/**
 * Adam's update of one parameter in three WebGPU dispatches (first moment,
 * second moment, weight) instead of the ~16 elementwise ops of adam.ts's
 * tensor form, each of which also uploads its scalar operands. The formulas
 * are adam.ts's (1 - beta is computed in double precision, as there), with
 * PyTorch semantics (L2 weight decay added to the gradient, eps outside the
 * square root); tests compare the two.
 */
import * as tf from '@tensorflow/tfjs';
import { ElementwiseProgram, registerWebgpuKernel, runProgram } from './webgpuProgram';

/** Hyper-parameters of one Adam step (bias corrections already folded in). */
export interface FusedAdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** lr / (1 - beta1^t). */
  readonly stepSize: number;
  /** sqrt(1 - beta2^t). */
  readonly sqrtCorrection2: number;
}

const kernelName = 'MaclAdamUpdate';

registerWebgpuKernel(kernelName, (backend, inputs, attrs) => {
  const { w, grad, m, v } = inputs as Record<'w' | 'grad' | 'm' | 'v', tf.TensorInfo>;
  const step = attrs as unknown as FusedAdamStep;
  const shape = w.shape;
  const gradient = 'let gi = g[index] + uniforms.weightDecay * w[index];';
  const moment = (key: string, name: 'm' | 'v'): ElementwiseProgram =>
    new ElementwiseProgram(key, ['g', 'w', name], shape, 'beta : f32, oneMinusBeta : f32, weightDecay : f32,', `${gradient}\n setOutputAtIndex(index, uniforms.beta * ${name}[index] + uniforms.oneMinusBeta * gi${name === 'v' ? ' * gi' : ''});`);
  const momentUniforms = (beta: number) => [
    { type: 'float32' as const, data: [beta] },
    { type: 'float32' as const, data: [1 - beta] },
    { type: 'float32' as const, data: [step.weightDecay] },
  ];
  const newM = runProgram(backend, moment('maclAdamM', 'm'), [grad, w, m], momentUniforms(step.beta1));
  const newV = runProgram(backend, moment('maclAdamV', 'v'), [grad, w, v], momentUniforms(step.beta2));
  const weight = new ElementwiseProgram(
    'maclAdamW',
    ['w', 'm', 'v'],
    shape,
    'stepSize : f32, sqrtCorrection2 : f32, epsilon : f32,',
    'setOutputAtIndex(index, w[index] - uniforms.stepSize * m[index] / (sqrt(v[index]) / uniforms.sqrtCorrection2 + uniforms.epsilon));',
  );
  const newW = runProgram(backend, weight, [w, newM, newV], [
    { type: 'float32', data: [step.stepSize] },
    { type: 'float32', data: [step.sqrtCorrection2] },
    { type: 'float32', data: [step.epsilon] },
  ]);
  return [newM, newV, newW];
});

/** The new first and second moments and weight of one parameter (new tensors; the caller assigns them). One tfjs kernel of three dispatches. */
export function fusedAdamUpdate(w: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, step: FusedAdamStep): { m: tf.Tensor; v: tf.Tensor; w: tf.Tensor } {
  const [newM, newV, newW] = tf.engine().runKernel(kernelName, { w, grad, m, v }, { ...step }) as tf.Tensor[];
  if (newM === undefined || newV === undefined || newW === undefined) throw new Error(`${kernelName} returned fewer than three tensors.`);
  return { m: newM, v: newV, w: newW };
}
