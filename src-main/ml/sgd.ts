/**
 * SGD with momentum and weight decay with PyTorch semantics (docs/macl-method.md 6.2):
 * g <- g + wd * w; buf <- m * buf + g (buf = g at the first step); w <- w - lr * buf.
 * tfjs's MomentumOptimizer has no weight decay and fixes its learning rate,
 * so this small optimiser takes the learning rate on every step.
 */
import * as tf from '@tensorflow/tfjs';
import { useWasmFusedSgd, wasmFusedSgdUpdate } from './tfjsPatches/wasmFusedSgd';

/** SGD settings; defaults are MACL's (momentum 0.9, weight decay 1e-5). */
export interface SgdOptions {
  readonly momentum?: number;
  readonly weightDecay?: number;
}

/** A stateful SGD-with-momentum optimiser over named variables. */
export interface Sgd {
  /** Applies one update with learning rate `lr`. `grads` is keyed by tfjs variable name (as tf.variableGrads returns it); nothing given is disposed. */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number): void;
  /** Momentum buffers by parameter name (for checkpoints). */
  state(): ReadonlyMap<string, tf.Variable>;
  /** Replaces the momentum buffers (values copied), e.g. when resuming from a checkpoint. */
  setState(state: ReadonlyMap<string, tf.Tensor>): void;
  dispose(): void;
}

/** Creates the optimiser; momentum buffers are created lazily per parameter name. */
export function createSgd(options: SgdOptions = {}): Sgd {
  const momentum = options.momentum ?? 0.9;
  const weightDecay = options.weightDecay ?? 1e-5;
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`createSgd: momentum must be in [0, 1), got ${momentum}.`);
  if (!(weightDecay >= 0)) throw new Error(`createSgd: weightDecay must be >= 0, got ${weightDecay}.`);
  const buffers = new Map<string, tf.Variable>();
  return {
    apply(params, grads, lr) {
      if (!Number.isFinite(lr) || lr < 0) throw new Error(`Sgd.apply: the learning rate must be a finite number >= 0, got ${lr}.`);
      const fused = useWasmFusedSgd();
      tf.tidy(() => {
        for (const [name, w] of params) {
          const grad = grads[w.name]; // tf.variableGrads keys by tfjs variable name
          if (grad === undefined) continue; // a parameter the loss does not reach
          let buf = buffers.get(name);
          if (buf !== undefined && fused) {
            // One kernel: a pass over the WASM heap (tfjsPatches/wasmFusedSgd.ts).
            const next = wasmFusedSgdUpdate(w, grad, buf, { momentum, weightDecay, lr });
            buf.assign(next.buf);
            w.assign(next.w);
            continue;
          }
          const g = weightDecay > 0 ? tf.add(grad, tf.mul(w, weightDecay)) : grad;
          if (buf === undefined) {
            buf = tf.variable(g, false); // PyTorch: buf = clone(g) at the first step
            buffers.set(name, buf);
          } else {
            buf.assign(tf.add(tf.mul(buf, momentum), g));
          }
          w.assign(tf.sub(w, tf.mul(buf, lr)));
        }
      });
    },
    state: () => buffers,
    setState(state) {
      for (const buf of buffers.values()) buf.dispose();
      buffers.clear();
      for (const [name, value] of state) buffers.set(name, tf.variable(tf.clone(value), false));
    },
    dispose() {
      for (const buf of buffers.values()) buf.dispose();
      buffers.clear();
    },
  };
}
