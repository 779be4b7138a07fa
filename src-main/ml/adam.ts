/**
 * Adam with PyTorch semantics (docs/macl-method.md 4.1, 6.2): weight decay is L2 added to
 * the gradient (torch.optim.Adam), not AdamW; eps 1e-8 outside the sqrt; bias
 * corrections per step. The learning rate is given on every step (cosine).
 * The moments survive across calls: that is the fine-tuner's warm continuation.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAdamUpdate } from './tfjsPatches/fusedAdam';
import { useWebgpuKernel } from './tfjsPatches/kernelChoice';
import { useWasmFusedAdam } from './tfjsPatches/wasmFusedAdam';

/** Adam hyper-parameters; defaults are PyTorch's (0.9, 0.999, 1e-8) and no weight decay. */
export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly weightDecay?: number;
}

/** A stateful Adam optimiser over named variables. */
export interface Adam {
  /** One update; `lrScale` multiplies the learning rate of the parameters it names (1 for the others). */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number, lrScale?: ReadonlyMap<string, number>): void;
  /** Runs the update's kernels once and drops the results: nothing changes (a GPU backend compiles its shaders). */
  warmUp(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap): void;
  /** Number of updates applied so far. */
  readonly steps: number;
  /** First and second moments by parameter name (`${name}.m`, `${name}.v`). */
  state(): ReadonlyMap<string, tf.Variable>;
  /** Replaces the moments (values copied) and the step count, e.g. when resuming from a checkpoint. */
  setState(state: ReadonlyMap<string, tf.Tensor>, steps: number): void;
  dispose(): void;
}

/** Creates an Adam optimiser; moments are created lazily per parameter name. */
export function createAdam(options: AdamOptions = {}): Adam {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  for (const [name, value] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(value >= 0 && value < 1)) throw new Error(`createAdam: ${name} must be in [0, 1), got ${value}.`);
  }
  if (!(epsilon > 0) || !(weightDecay >= 0)) throw new Error('createAdam: epsilon must be > 0 and weightDecay >= 0.');
  const moments = new Map<string, tf.Variable>();
  let t = 0;
  const moment = (key: string, like: tf.Tensor): tf.Variable => {
    let v = moments.get(key);
    if (v === undefined) {
      v = tf.variable(tf.zerosLike(like), false);
      moments.set(key, v);
    }
    return v;
  };
  return {
    apply(params, grads, lr, lrScale) {
      if (!Number.isFinite(lr) || lr < 0) throw new Error(`Adam.apply: the learning rate must be a finite number >= 0, got ${lr}.`);
      t += 1;
      const stepSize = lr / (1 - beta1 ** t);
      const sqrtCorrection2 = Math.sqrt(1 - beta2 ** t);
      const fused = useWebgpuKernel('adam') || useWasmFusedAdam();
      tf.tidy(() => {
        for (const [name, w] of params) {
          const grad = grads[w.name]; // tf.variableGrads keys by tfjs variable name
          if (grad === undefined) continue;
          const scaledStep = stepSize * (lrScale?.get(name) ?? 1);
          if (fused) {
            // One kernel: three WebGPU dispatches (tfjsPatches/fusedAdam.ts) or one pass over the WASM heap (wasmFusedAdam.ts).
            const m = moment(`${name}.m`, w);
            const v = moment(`${name}.v`, w);
            const next = fusedAdamUpdate(w, grad, m, v, { beta1, beta2, epsilon, weightDecay, stepSize: scaledStep, sqrtCorrection2 });
            m.assign(next.m);
            v.assign(next.v);
            w.assign(next.w);
            continue;
          }
          const g = weightDecay > 0 ? tf.add(grad, tf.mul(w, weightDecay)) : grad;
          const m = moment(`${name}.m`, w);
          const v = moment(`${name}.v`, w);
          m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
          v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
          // w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps), as torch.optim.Adam.
          const denom = tf.add(tf.div(tf.sqrt(v), sqrtCorrection2), epsilon);
          w.assign(tf.sub(w, tf.mul(tf.div(m, denom), scaledStep)));
        }
      });
    },
    warmUp(params, grads) {
      if (!useWebgpuKernel('adam')) return; // the tensor form has nothing to compile ahead
      tf.tidy(() => {
        for (const [name, w] of params) {
          const grad = grads[w.name];
          if (grad === undefined) continue;
          const m = moments.get(`${name}.m`) ?? tf.zerosLike(w);
          const v = moments.get(`${name}.v`) ?? tf.zerosLike(w);
          fusedAdamUpdate(w, grad, m, v, { beta1, beta2, epsilon, weightDecay, stepSize: 0, sqrtCorrection2: 1 });
        }
      });
    },
    get steps() {
      return t;
    },
    state: () => moments,
    setState(state, steps) {
      if (!Number.isInteger(steps) || steps < 0) throw new Error(`Adam.setState: steps must be an integer >= 0, got ${steps}.`);
      for (const v of moments.values()) v.dispose();
      moments.clear();
      for (const [key, value] of state) moments.set(key, tf.variable(tf.clone(value), false));
      t = steps;
    },
    dispose() {
      for (const v of moments.values()) v.dispose();
      moments.clear();
    },
  };
}
