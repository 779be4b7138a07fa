/**
 * The mean teacher (Tarvainen and Valpola 2017) of SimCVD: a copy of the
 * student's parameters that is never trained by gradient and follows the
 * student as an exponential moving average after every accepted step,
 * teacher <- d teacher + (1 - d) student. BN running statistics follow the
 * same average, so the teacher is a usable model on its own.
 */
import * as tf from '@tensorflow/tfjs';
import { ParamStore } from '../paramStore';

/** A teacher holding a non-trainable copy of every variable of `students` (names must be distinct across them). */
export function createTeacher(students: readonly ParamStore[]): ParamStore {
  const teacher = new ParamStore();
  for (const store of students) {
    for (const [name, variable] of store.entries()) teacher.add(name, tf.clone(variable), 'buffer');
  }
  return teacher;
}

/**
 * The decay used after `step` accepted steps: `decay`, or with `warmUp`
 * min(decay, (1 + step) / (10 + step)) as in TensorFlow's
 * ExponentialMovingAverage, so that a short run's teacher is not held at the
 * initial weights (0.999 over 100 steps would leave it 90 % there).
 */
export function teacherDecay(step: number, decay: number, warmUp: boolean): number {
  if (!(decay >= 0 && decay <= 1)) throw new Error(`teacherDecay: the decay must be in [0, 1], got ${decay}.`);
  return warmUp ? Math.min(decay, (1 + step) / (10 + step)) : decay;
}

/** teacher <- decay * teacher + (1 - decay) * student, for every variable of `students`. */
export function updateTeacher(teacher: ParamStore, students: readonly ParamStore[], decay: number): void {
  tf.tidy(() => {
    for (const store of students) {
      for (const [name, variable] of store.entries()) {
        const target = teacher.get(name);
        target.assign(tf.add(tf.mul(target, decay), tf.mul(variable, 1 - decay)));
      }
    }
  });
}
