/**
 * Wording and number formats shared by the panels and the status bar, so
 * the same fact reads the same everywhere.
 */
import type { BackendPreference } from '../../src-main/shared/contract/compute';
import type { ConnectionState, ShellKind } from '../bridge/connectionState';

/** Table notation for a value that was not measured. */
export const notMeasured = '—';

export function formatGflops(value: number | null): string {
  if (value === null) return notMeasured;
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatMs(value: number | null): string {
  if (value === null) return notMeasured;
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export const shellLabels: Readonly<Record<ShellKind, string>> = { electron: 'Desktop', browser: 'Browser host' };

export const connectionLabels: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting',
  open: 'Connected',
  lost: 'Connection lost, reconnecting',
};

/** One line per backend choice, for the selector. */
export const preferenceExplanations: Readonly<Record<BackendPreference, string>> = {
  auto: 'Measure every usable backend and use the fastest.',
  tensorflow: 'Native TensorFlow; on NVIDIA cards with CUDA installed, the fastest.',
  webgpu: 'The graphics card through WebGPU (Vulkan, Direct3D 12 or Metal); no CUDA needed.',
  'webgpu-swiftshader': 'WebGPU on SwiftShader, a CPU driver: slow, only for testing the GPU code path.',
  wasm: 'WebAssembly on the processor: the fast choice without a graphics card (several times the plain JavaScript speed).',
  cpu: 'Plain JavaScript on the processor: always available, slowest for training.',
};
