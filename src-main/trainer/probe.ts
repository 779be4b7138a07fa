/**
 * The backend probe: loads each candidate backend, times a real training
 * step on it, and activates the fastest usable one (or the forced one).
 * A backend that is missing, throws or hangs is reported with its reason;
 * only "nothing usable" is an error.
 */
import * as tf from '@tensorflow/tfjs';
import {
  backendKinds,
  type BackendKind,
  type BackendPreference,
  type BackendProbe,
  type ProbeReport,
} from '../shared/contract/compute';
import { describeThrown, type BackendLoad } from './backends/backendLoad';
import { activateBackend } from './backends/loadBackend';
import { describeProbeWorkload, timeProbeWorkload, type TimingOptions, type WorkloadTiming } from './probeWorkload';

export interface ProbeOptions extends Partial<TimingOptions> {
  /** Per backend, loading included. Only asynchronous hangs can be cut short; a blocked thread is the supervisor's to kill. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Replaceable for tests. */
  readonly activate?: (kind: BackendKind) => Promise<BackendLoad>;
  readonly time?: (options: TimingOptions) => Promise<WorkloadTiming>;
}

/** 'auto' never includes webgpu-swiftshader: a software GPU is only for testing, and only when forced. */
export function probeCandidates(preference: BackendPreference): BackendKind[] {
  return preference === 'auto' ? ['tensorflow', 'webgpu', 'wasm', 'cpu'] : [preference];
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const limit = ms >= 1000 ? `${(ms / 1000).toFixed(0)} s` : `${ms} ms`;
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${limit}`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Measured {
  readonly probe: BackendProbe;
  readonly tfName: string | null;
}

async function measure(kind: BackendKind, options: ProbeOptions): Promise<Measured> {
  const activate = options.activate ?? activateBackend;
  const time = options.time ?? timeProbeWorkload;
  let device: string = kind;
  const run = async (): Promise<Measured> => {
    const load = await activate(kind);
    device = load.device;
    if (!load.ok) return { probe: { backend: kind, usable: false, device, gflops: null, stepMs: null, reason: load.reason }, tfName: null };
    const timing = await time({ minTimedMs: options.minTimedMs ?? 300, maxSteps: options.maxSteps ?? 8 });
    return { probe: { backend: kind, usable: true, device, gflops: timing.gflops, stepMs: timing.stepMs, reason: null }, tfName: load.tfName };
  };
  try {
    return await withTimeout(run(), options.timeoutMs ?? 20_000, `the ${kind} probe`);
  } catch (thrown) {
    return { probe: { backend: kind, usable: false, device, gflops: null, stepMs: null, reason: describeThrown(thrown) }, tfName: null };
  }
}

function describeProbe(p: BackendProbe): string {
  if (!p.usable) return `${p.backend}: not usable (${p.reason ?? 'no reason given'})`;
  return `${p.backend}: ${(p.gflops ?? 0).toFixed(2)} GFLOP/s, ${(p.stepMs ?? 0).toFixed(1)} ms/step on ${p.device}`;
}

/** Fastest first; equal speeds keep the order of `backendKinds`. */
function fastest(measured: readonly Measured[]): Measured | undefined {
  return [...measured]
    .filter((m) => m.probe.usable)
    .sort((a, b) => (b.probe.gflops ?? 0) - (a.probe.gflops ?? 0) || backendKinds.indexOf(a.probe.backend) - backendKinds.indexOf(b.probe.backend))[0];
}

/**
 * Probes the candidates for `preference` one after another and leaves the
 * chosen backend active. Throws (with every reason) when none is usable.
 */
export async function runProbe(preference: BackendPreference, options: ProbeOptions = {}): Promise<ProbeReport> {
  const measured: Measured[] = [];
  for (const kind of probeCandidates(preference)) {
    const result = await measure(kind, options);
    options.log?.(`probe ${describeProbe(result.probe)}`);
    measured.push(result);
  }
  const chosen = fastest(measured);
  if (chosen === undefined || chosen.tfName === null) {
    const reasons = measured.map((m) => `${m.probe.backend}: ${m.probe.reason ?? 'unknown'}`).join('; ');
    throw new Error(
      preference === 'auto'
        ? `No compute backend is usable (${reasons}).`
        : `The "${preference}" backend was requested but is not usable: ${measured[0]?.probe.reason ?? 'unknown reason'}. Choose "auto" to use the fastest backend that works.`,
    );
  }
  if (tf.getBackend() !== chosen.tfName) {
    await tf.setBackend(chosen.tfName);
    await tf.ready();
  }
  options.log?.(`probe chose ${chosen.probe.backend}`);
  return { preference, chosen: chosen.probe, probes: measured.map((m) => m.probe), workload: describeProbeWorkload() };
}
