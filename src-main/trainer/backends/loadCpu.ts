/** The pure-JavaScript CPU backend: always present, single-threaded. */
import os from 'node:os';
import type { BackendLoad } from './backendLoad';

export function cpuDeviceName(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim().replace(/\s+/g, ' ');
  return model ? `CPU (JavaScript) on ${model}, ${cpus.length} cores` : 'CPU (JavaScript)';
}

export function loadCpu(): Promise<BackendLoad> {
  return Promise.resolve({ ok: true, tfName: 'cpu', device: cpuDeviceName() });
}
