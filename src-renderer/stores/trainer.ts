/**
 * The trainer's status as the app streams it: state, chosen backend and
 * device, measured speed, every probe, and the supervisor's message after a
 * crash or restart. Actions force a backend or restart the trainer.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref } from 'vue';
import type { BackendPreference, BackendProbe, TrainerStatus } from '../../src-main/shared/contract/compute';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import type { Result } from '../../src-main/shared/result';
import { useConnectionStore } from './connection';

/** Which action is waiting for the app's answer. */
export type TrainerAction = 'setBackend' | 'restart';

/** States in which the supervisor's message must be shown prominently. */
const alarmingStates: ReadonlySet<TrainerStatus['state']> = new Set(['crashed', 'restarting', 'failed']);

export const useTrainerStore = defineStore('trainer', () => {
  const connectionStore = useConnectionStore();
  const status = ref<TrainerStatus | null>(null);
  const pending = ref<TrainerAction | null>(null);
  const actionError = ref<string | null>(null);
  const streamError = ref<string | null>(null);
  let unfollow: Unsubscribe | null = null;

  const state = computed(() => status.value?.state ?? null);
  const preference = computed<BackendPreference | null>(() => status.value?.preference ?? null);
  /** The WebAssembly thread setting; null: every core. */
  const wasmThreads = computed<number | null>(() => status.value?.wasmThreads ?? null);
  const chosen = computed<BackendProbe | null>(() => status.value?.report?.chosen ?? null);
  const backend = computed(() => chosen.value?.backend ?? null);
  const device = computed(() => chosen.value?.device ?? null);
  const gflops = computed(() => chosen.value?.gflops ?? null);
  const probes = computed<readonly BackendProbe[]>(() => status.value?.report?.probes ?? []);
  const message = computed(() => status.value?.message ?? null);
  const alarming = computed(() => state.value !== null && alarmingStates.has(state.value));

  /** Keeps the newest status: a call's answer may arrive after a later stream event. */
  function apply(next: TrainerStatus): void {
    if (status.value === null || next.since >= status.value.since) status.value = next;
  }

  /** Follows 'trainer.statusUpdates' (again after every reconnection) until stop(). */
  function start(): void {
    if (unfollow !== null) return;
    unfollow = connectionStore.requireConnection().follow('trainer.statusUpdates', {}, {
      onEvent: (event) => {
        streamError.value = null;
        apply(event);
      },
      onEnd: (end) => {
        streamError.value = end.error?.message ?? `The trainer's status stream ended (${end.reason}).`;
      },
    });
  }

  /** Cancels the subscription. */
  function stop(): void {
    unfollow?.();
    unfollow = null;
  }

  async function run(action: TrainerAction, call: () => Promise<Result<TrainerStatus>>): Promise<boolean> {
    pending.value = action;
    actionError.value = null;
    try {
      const result = await call();
      if (result.ok) apply(result.value);
      else actionError.value = result.error.message;
      return result.ok;
    } finally {
      pending.value = null;
    }
  }

  /** Forces a backend (or `auto`) and the WebAssembly threads (null: every core; absent: unchanged); the app restarts the trainer, which probes again. */
  function setBackend(next: BackendPreference, threads?: number | null): Promise<boolean> {
    const params = threads === undefined ? { preference: next } : { preference: next, threads };
    return run('setBackend', () => connectionStore.requireConnection().call('trainer.setBackend', params));
  }

  /** Restarts the trainer process. */
  function restart(): Promise<boolean> {
    return run('restart', () => connectionStore.requireConnection().call('trainer.restart', {}));
  }

  onScopeDispose(stop);

  return {
    status, pending, actionError, streamError,
    state, preference, wasmThreads, chosen, backend, device, gflops, probes, message, alarming,
    start, stop, setBackend, restart,
  };
});
