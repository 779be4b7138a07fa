/**
 * Which of the hand-written WebGPU training kernels are used when the active
 * backend is webgpu: all by default; installTfjsPatches.ts sets them (the
 * trainer and the CLI narrow the set from MACL_WEBGPU_KERNELS, read in
 * src-main/trainer/backends/backendTuning.ts) so a GPU machine can measure
 * each against tfjs's own ops.
 */
import { webgpuProgramsAvailable } from './webgpuProgram';

export const webgpuKernelNames = ['adam', 'filtergrad'] as const;
export type WebgpuKernelName = (typeof webgpuKernelNames)[number];

let enabled: ReadonlySet<WebgpuKernelName> = new Set(webgpuKernelNames);

/** Sets the kernels in use (the others fall back to tfjs ops). */
export function setWebgpuKernels(names: Iterable<WebgpuKernelName>): void {
  enabled = new Set(names);
}

/** The kernels in use. */
export function webgpuKernels(): ReadonlySet<WebgpuKernelName> {
  return enabled;
}

/** True when `name` is enabled and the active backend can run it. */
export function useWebgpuKernel(name: WebgpuKernelName): boolean {
  return enabled.has(name) && webgpuProgramsAvailable();
}

/** Parses MACL_WEBGPU_KERNELS ("all", "none", or a comma list); null when a name is unknown. */
export function parseWebgpuKernels(raw: string | undefined): WebgpuKernelName[] | null {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return [...webgpuKernelNames];
  if (raw.trim() === 'none') return [];
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.every((n) => (webgpuKernelNames as readonly string[]).includes(n)) ? (names as WebgpuKernelName[]) : null;
}
