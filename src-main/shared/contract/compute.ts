/**
 * Compute backends and the trainer's state, as reported to every UI.
 * The order of `backendKinds` is the order in which they are preferred
 * when their measured speeds tie.
 */
import { z } from 'zod';

/**
 * - tensorflow: native libtensorflow through @tensorflow/tfjs-node(-gpu)
 * - webgpu: Dawn on a hardware adapter (Vulkan, D3D12, Metal)
 * - webgpu-swiftshader: Dawn on the SwiftShader CPU Vulkan driver; only when forced (for testing)
 * - wasm: WebAssembly (XNNPACK, SIMD) on the CPU, the fast path without a GPU
 * - cpu: the pure JavaScript backend, always present
 */
export const backendKinds = ['tensorflow', 'webgpu', 'webgpu-swiftshader', 'wasm', 'cpu'] as const;
export const backendKindSchema = z.enum(backendKinds);
export type BackendKind = z.infer<typeof backendKindSchema>;

/**
 * The most tensor memory a backend can hold, in bytes, or null when the device
 * decides. The WASM backend's heap is a wasm32 memory of at most 4 GiB (the
 * growth limit of tfjs-backend-wasm's module); running past it aborts the
 * module ("Aborted()") and every later op fails, so callers check first.
 */
export function backendMemoryLimitBytes(backend: string | null): number | null {
  return backend === 'wasm' ? 4 * 2 ** 30 : null;
}

/** `auto` measures every usable backend and picks the fastest; anything else forces one. */
export const backendPreferenceSchema = z.enum(['auto', ...backendKinds]);
export type BackendPreference = z.infer<typeof backendPreferenceSchema>;

/** What the probe found for one backend. */
export const backendProbeSchema = z.object({
  backend: backendKindSchema,
  /** True when the backend loaded and ran the probe workload. */
  usable: z.boolean(),
  /** Adapter or device name as the backend reports it (e.g. "NVIDIA H100", "SwiftShader", "CPU (JavaScript)"). */
  device: z.string(),
  /** Measured throughput of the probe workload (conv forward + backward), in GFLOP/s. */
  gflops: z.number().nonnegative().nullable(),
  /** Median wall time of one probe step in milliseconds. */
  stepMs: z.number().nonnegative().nullable(),
  /** Why the backend is not usable or was skipped; null when it was measured. */
  reason: z.string().nullable(),
});
export type BackendProbe = z.infer<typeof backendProbeSchema>;

export const probeReportSchema = z.object({
  preference: backendPreferenceSchema,
  chosen: backendProbeSchema,
  probes: z.array(backendProbeSchema),
  /** Description of the workload that was timed, for the record. */
  workload: z.string(),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;

export const trainerStates = ['starting', 'probing', 'ready', 'crashed', 'restarting', 'failed', 'stopped'] as const;
export const trainerStateSchema = z.enum(trainerStates);
export type TrainerState = z.infer<typeof trainerStateSchema>;

export const trainerStatusSchema = z.object({
  state: trainerStateSchema,
  preference: backendPreferenceSchema,
  /** The last completed probe; null until the first one finished. */
  report: probeReportSchema.nullable(),
  /** OS process id of the trainer, when one is running. */
  pid: z.number().int().nullable(),
  /** How many times the trainer was restarted after dying. */
  restarts: z.number().int().nonnegative(),
  /** A sentence for the user about the last notable event (crash, restart, failure), or null. */
  message: z.string().nullable(),
  /** When the state last changed (ms since the epoch). */
  since: z.number(),
  /** Threads the WebAssembly backend is asked to run; null or absent: every core (the count it runs is in the wasm device name). */
  wasmThreads: z.number().int().positive().nullable().optional(),
});
export type TrainerStatus = z.infer<typeof trainerStatusSchema>;
