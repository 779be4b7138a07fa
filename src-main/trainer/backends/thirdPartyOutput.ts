/**
 * What the packages behind the backends print on their own (tfjs's warnings,
 * among them its CPU backend's "Hi, looks like you are running TensorFlow.js
 * in Node.js" banner on first use) stays off the console unless MACL_VERBOSE=1:
 * the project's own lines already say which backend runs and why the others do
 * not. The CLI's --verbose sets the variable; a forked trainer inherits it.
 */
import * as tf from '@tensorflow/tfjs';

/** True when third-party output is wanted (MACL_VERBOSE=1). */
export function verboseOutput(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.MACL_VERBOSE === '1';
}

/**
 * tfjs's PROD flag gates only its console output (log.warn, log.log and the
 * flag-registry warnings in tfjs-core 4.22), so it is the switch for all of it.
 * Set after a backend is active and before MACL_TFJS_FLAGS, which may undo it.
 */
export function quietTfjsUnlessVerbose(env: Readonly<Record<string, string | undefined>> = process.env): void {
  tf.env().set('PROD', !verboseOutput(env));
}
