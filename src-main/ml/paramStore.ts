/**
 * Named parameters of a model: trainable variables (weights, biases, BN gamma
 * and beta) and buffers (BN running statistics). Stable names such as
 * `enc1.conv1.w` are what checkpoints, encoder/decoder transfer and the
 * optimisers key on. tfjs variable names are left automatic, because tfjs
 * forbids two live variables with the same name and several models (a
 * pre-training module and the U-Net it initialises) coexist.
 */
import * as tf from '@tensorflow/tfjs';

/** Whether a parameter is trained by gradient (weights) or updated by the forward pass (BN running stats). */
export type ParamKind = 'trainable' | 'buffer';

/** A model's named variables. */
export class ParamStore {
  private readonly trainableVars = new Map<string, tf.Variable>();
  private readonly bufferVars = new Map<string, tf.Variable>();
  private disposed = false;

  /** Adds a variable initialised from `init` (taken over, not copied). Names must be unique. */
  add(name: string, init: tf.Tensor, kind: ParamKind): tf.Variable {
    this.assertLive();
    if (this.has(name)) throw new Error(`ParamStore: the parameter "${name}" already exists.`);
    const variable = tf.variable(init, kind === 'trainable');
    init.dispose();
    (kind === 'trainable' ? this.trainableVars : this.bufferVars).set(name, variable);
    return variable;
  }

  has(name: string): boolean {
    return this.trainableVars.has(name) || this.bufferVars.has(name);
  }

  /** The variable called `name`; throws a readable error when it is missing. */
  get(name: string): tf.Variable {
    const found = this.trainableVars.get(name) ?? this.bufferVars.get(name);
    if (found === undefined) throw new Error(`ParamStore: no parameter named "${name}".`);
    return found;
  }

  kindOf(name: string): ParamKind {
    if (this.trainableVars.has(name)) return 'trainable';
    if (this.bufferVars.has(name)) return 'buffer';
    throw new Error(`ParamStore: no parameter named "${name}".`);
  }

  /** Trainable variables in creation order (what the optimiser updates). */
  trainable(): ReadonlyMap<string, tf.Variable> {
    return this.trainableVars;
  }

  /** Every variable, trainable first then buffers, each in creation order. */
  entries(): Array<[string, tf.Variable]> {
    return [...this.trainableVars.entries(), ...this.bufferVars.entries()];
  }

  /** The trainable variables as a list, for tf.variableGrads. */
  trainableList(): tf.Variable[] {
    return [...this.trainableVars.values()];
  }

  /**
   * Number of trainable scalars whose name starts with one of `prefixes`
   * (all when none are given). Buffers are not counted, like PyTorch's
   * parameters() (the spec's table counts parameters, not BN statistics).
   */
  count(...prefixes: string[]): number {
    let total = 0;
    for (const [name, variable] of this.trainableVars) {
      if (prefixes.length === 0 || prefixes.some((p) => name === p || name.startsWith(`${p}.`))) total += variable.size;
    }
    return total;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const variable of [...this.trainableVars.values(), ...this.bufferVars.values()]) variable.dispose();
    this.trainableVars.clear();
    this.bufferVars.clear();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('ParamStore: the model was disposed.');
  }
}
