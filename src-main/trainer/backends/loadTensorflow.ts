/**
 * Loads native TensorFlow through @tensorflow/tfjs-node-gpu, then
 * @tensorflow/tfjs-node. Both are optional: their install downloads
 * libtensorflow from outside the npm registry, so on offline machines npm
 * skips them and this reports why instead of failing.
 */
import * as tf from '@tensorflow/tfjs';
import { describeThrown, errorCode, type BackendLoad } from './backendLoad';

const packages = [
  { name: '@tensorflow/tfjs-node-gpu', device: 'TensorFlow native (CUDA build)' },
  { name: '@tensorflow/tfjs-node', device: 'TensorFlow native (CPU build)' },
] as const;

function isMissing(thrown: unknown, name: string): boolean {
  const code = errorCode(thrown);
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && describeThrown(thrown).includes(name);
}

export async function loadTensorflow(): Promise<BackendLoad> {
  const notes: string[] = [];
  let allMissing = true;
  for (const pkg of packages) {
    try {
      // A computed specifier: the packages are optional, so neither TypeScript
      // nor the bundler may insist on them; they load from node_modules at run time.
      const specifier: string = pkg.name;
      await import(/* @vite-ignore */ specifier);
      if (tf.findBackendFactory('tensorflow') !== null) return { ok: true, tfName: 'tensorflow', device: pkg.device };
      allMissing = false;
      notes.push(`${pkg.name} loaded but registered no "tensorflow" backend`);
    } catch (thrown) {
      if (isMissing(thrown, pkg.name)) {
        notes.push(`${pkg.name} is not in node_modules`);
      } else {
        allMissing = false;
        notes.push(`${pkg.name}: ${describeThrown(thrown)}`);
      }
    }
  }
  const reason = allMissing ? `native TensorFlow not installed (${notes.join('; ')})` : `native TensorFlow failed to load (${notes.join('; ')})`;
  return { ok: false, device: 'TensorFlow native', reason };
}
