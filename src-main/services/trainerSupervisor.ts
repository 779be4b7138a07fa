/**
 * Owns the trainer process: starts it, probes the compute backends in it,
 * restarts it when it dies (with backoff and a limit), and tells every UI
 * what is going on through TrainerStatus.
 *
 *   stopped -> starting -> probing -> ready
 *   any running state --(process died)--> crashed -> restarting -> starting ...
 *   too many crashes, a failed probe, or a probe that hangs -> failed
 *   dispose() -> stopped
 *
 * Node-side only (timers, process env); the process kind is behind SpawnTrainer.
 */
import type { BackendPreference, TrainerState, TrainerStatus } from '../shared/contract/compute';
import { createRpcClient, type RpcClient } from '../shared/rpc/client';
import type { Unsubscribe } from '../shared/rpc/transport';
import { findSwiftShaderIcd, swiftShaderEnv, swiftShaderIcdCandidates } from '../trainer/backends/swiftShaderIcd';
import { wasmThreadsEnv } from '../trainer/backends/wasmThreadsSetting';
import { trainerContract, type TrainerContract } from '../shared/contract/trainer/protocol';
import { createRestartPolicy, type RestartPolicyOptions } from './trainerRestartPolicy';
import type { SpawnTrainer, TrainerExit, TrainerProcess } from './trainerSpawner';

export interface TrainerSupervisorOptions {
  readonly spawn: SpawnTrainer;
  readonly preference: BackendPreference;
  readonly log?: (line: string) => void;
  readonly restartPolicy?: RestartPolicyOptions;
  /** How long a new trainer may take to answer its first ping. */
  readonly startTimeoutMs?: number;
  /** How long the whole probe may take; a trainer stuck in it is killed. */
  readonly probeTimeoutMs?: number;
  /** Replaceable for tests; finds vk_swiftshader_icd.json for the forced 'webgpu-swiftshader'. */
  readonly findSwiftShaderIcd?: () => string | null;
}

export interface TrainerSupervisor {
  /** Starts the trainer; resolves with the first settled status (ready, failed or stopped). */
  start(): Promise<TrainerStatus>;
  status(): TrainerStatus;
  /** Called on every change; returns its unsubscribe. */
  onStatus(listener: (status: TrainerStatus) => void): Unsubscribe;
  /** Restarts the trainer with another backend preference (and WebAssembly thread count: null for every core, absent to keep it) and re-probes. */
  setPreference(preference: BackendPreference, wasmThreads?: number | null): Promise<TrainerStatus>;
  /** Restarts the trainer (and forgets earlier crashes); resolves with the next settled status. */
  restart(): Promise<TrainerStatus>;
  /** The RPC client of a ready trainer, else null. */
  client(): RpcClient<TrainerContract> | null;
  /** Stops the trainer; resolves once its process has exited. */
  dispose(): Promise<void>;
}

interface Running {
  readonly generation: number;
  readonly process: TrainerProcess;
  readonly client: RpcClient<TrainerContract>;
  readonly offExit: Unsubscribe;
}

const settledStates: ReadonlySet<TrainerState> = new Set(['ready', 'failed', 'stopped']);
const timedOut = Symbol('timed out');

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof timedOut> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(0)} s` : `${ms} ms`;
}

function describeExit(exit: TrainerExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

export function createTrainerSupervisor(options: TrainerSupervisorOptions): TrainerSupervisor {
  const log = options.log ?? (() => undefined);
  const policy = createRestartPolicy(options.restartPolicy);
  const findIcd = options.findSwiftShaderIcd ?? (() => findSwiftShaderIcd());
  const listeners = new Set<(status: TrainerStatus) => void>();
  let waiters: Array<(status: TrainerStatus) => void> = [];
  let status: TrainerStatus = { state: 'stopped', preference: options.preference, report: null, pid: null, restarts: 0, message: null, since: Date.now() };
  let running: Running | null = null;
  let generation = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let lastCrash: string | null = null;
  let disposed = false;

  const update = (patch: Partial<Omit<TrainerStatus, 'since'>>): void => {
    const stateChanged = patch.state !== undefined && patch.state !== status.state;
    status = { ...status, ...patch, since: stateChanged ? Date.now() : status.since };
    if (stateChanged) log(`trainer ${status.state}${status.message !== null ? `: ${status.message}` : ''}`);
    for (const listener of [...listeners]) {
      try {
        listener(status);
      } catch (error) {
        log(`a status listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Only a transition settles: a patch to a settled status (a new pid, a preference) is not an outcome.
    if (stateChanged && settledStates.has(status.state)) {
      const settled = waiters;
      waiters = [];
      for (const resolve of settled) resolve(status);
    }
  };
  const nextSettled = (): Promise<TrainerStatus> => new Promise((resolve) => waiters.push(resolve));

  const clearRestartTimer = (): void => {
    if (restartTimer !== null) clearTimeout(restartTimer);
    restartTimer = null;
  };

  /** Ends the current process on purpose: its exit is not a crash. */
  const stopRunning = (): Promise<void> => {
    const current = running;
    running = null;
    if (current === null) return Promise.resolve();
    current.offExit();
    const gone = new Promise<void>((resolve) => {
      current.process.onExit(() => resolve());
      setTimeout(resolve, 5000).unref(); // never hang a caller on a process that will not report its exit
    });
    current.client.close();
    current.process.kill();
    return gone;
  };

  const fail = (message: string): void => {
    void stopRunning();
    update({ state: 'failed', pid: null, message });
  };

  const onExit = (gen: number, exit: TrainerExit): void => {
    if (gen !== generation || disposed || running?.generation !== gen) return;
    running.client.close();
    running = null;
    const how = describeExit(exit);
    const decision = policy.recordCrash();
    if (!decision.restart) {
      const minutes = Math.max(1, Math.round(decision.windowMs / 60_000));
      update({
        state: 'failed',
        pid: null,
        message: `The trainer process stopped unexpectedly ${decision.crashes} times within ${minutes === 1 ? 'a minute' : `${minutes} minutes`} (last: ${how}), so it was not restarted again. Check the trainer log, try the "cpu" backend, then press Restart.`,
      });
      return;
    }
    lastCrash = how;
    const message = `The trainer process stopped unexpectedly (${how}). Restarting it (attempt ${decision.attempt} of ${decision.maxRestarts})…`;
    update({ state: 'crashed', pid: null, message });
    update({ state: 'restarting' });
    restartTimer = setTimeout(() => {
      restartTimer = null;
      launch({ restarts: status.restarts + 1 });
    }, decision.delayMs);
  };

  const bringUp = async (current: Running): Promise<void> => {
    const stillCurrent = (): boolean => running === current && !disposed;
    const ping = await withTimeout(current.client.call('ping', {}), options.startTimeoutMs ?? 30_000);
    if (!stillCurrent()) return;
    if (ping === timedOut) return fail(`The trainer process did not answer within ${seconds(options.startTimeoutMs ?? 30_000)} of starting; it was stopped. Check the trainer log, then press Restart.`);
    if (!ping.ok) return; // The process died; onExit handles it.
    update({ state: 'probing', pid: ping.value.pid });
    const probeTimeoutMs = options.probeTimeoutMs ?? 90_000;
    const probe = await withTimeout(current.client.call('probe', { preference: status.preference }), probeTimeoutMs);
    if (!stillCurrent()) return;
    if (probe === timedOut) {
      return fail(`Measuring the compute backends did not finish within ${seconds(probeTimeoutMs)} (a GPU driver may be stuck); the trainer was stopped. Choose the "cpu" backend, then press Restart.`);
    }
    if (!probe.ok) {
      if (probe.error.code === 'unavailable') return; // The process died; onExit handles it.
      return fail(`The trainer could not start a compute backend: ${probe.error.message}`);
    }
    const chosen = probe.value.chosen;
    log(`trainer uses ${chosen.backend} (${chosen.device}, ${chosen.gflops?.toFixed(2) ?? '?'} GFLOP/s)`);
    const message = lastCrash === null ? null : `The trainer is running again after it stopped unexpectedly (${lastCrash}).`;
    update({ state: 'ready', report: probe.value, message });
  };

  /** `patch` rides on the 'starting' update, so no half-changed status is ever emitted. */
  const launch = (patch: Partial<Omit<TrainerStatus, 'since' | 'state'>> = {}): void => {
    clearRestartTimer();
    const gen = ++generation;
    // Passing through 'starting' even when failing at once keeps every relaunch a transition that settles.
    const failAtStart = (message: string): void => {
      update({ ...patch, state: 'starting', pid: null });
      update({ state: 'failed', message });
    };
    let env: Record<string, string> = {};
    if ((patch.preference ?? status.preference) === 'webgpu-swiftshader') {
      const icd = findIcd();
      if (icd === null) {
        return failAtStart(
          `The "webgpu-swiftshader" backend needs a SwiftShader Vulkan driver, and none was found (looked for ${swiftShaderIcdCandidates().join(', ')}). Set MACL_SWIFTSHADER_ICD to a vk_swiftshader_icd.json, install Chromium, or choose another backend.`,
        );
      }
      env = swiftShaderEnv(icd);
    }
    const threads = patch.wasmThreads !== undefined ? patch.wasmThreads : status.wasmThreads;
    if (threads != null) env = { ...env, [wasmThreadsEnv]: String(threads) };
    let child: TrainerProcess;
    try {
      child = options.spawn({ env });
    } catch (error) {
      return failAtStart(`The trainer process could not be started: ${error instanceof Error ? error.message : String(error)}`);
    }
    const client = createRpcClient(trainerContract, child.transport);
    const current: Running = { generation: gen, process: child, client, offExit: child.onExit((exit) => onExit(gen, exit)) };
    running = current;
    update({ ...patch, state: 'starting', pid: child.pid });
    void bringUp(current).catch((error: unknown) => {
      if (running === current) fail(`The trainer could not be brought up: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  /** A fresh start on the user's request: earlier crashes no longer count. */
  const relaunch = (patch: Partial<Omit<TrainerStatus, 'since' | 'state'>> = {}): Promise<TrainerStatus> => {
    if (disposed) return Promise.resolve(status);
    const settled = nextSettled();
    policy.reset();
    lastCrash = null;
    void stopRunning();
    launch({ ...patch, message: null, report: null });
    return settled;
  };

  return {
    start() {
      if (disposed || status.state !== 'stopped') return settledStates.has(status.state) ? Promise.resolve(status) : nextSettled();
      const settled = nextSettled();
      launch();
      return settled;
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setPreference: (preference, wasmThreads) => relaunch(wasmThreads === undefined ? { preference } : { preference, wasmThreads }),
    restart: () => relaunch(),
    client: () => (status.state === 'ready' && running !== null ? running.client : null),
    dispose() {
      if (disposed) return Promise.resolve();
      disposed = true;
      generation += 1;
      clearRestartTimer();
      const gone = stopRunning();
      update({ state: 'stopped', pid: null, message: null });
      listeners.clear();
      return gone;
    },
  };
}
