/**
 * The connection to the app and what the app says about itself. Holds the
 * AppConnection the other stores call through; main.ts attaches the real
 * one, tests attach one over a memory transport.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { AppInfo } from '../../src-main/shared/contract/appContract';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import type { AppConnection } from '../bridge/appConnection';
import type { ConnectionState, ShellKind } from '../bridge/connectionState';

export const useConnectionStore = defineStore('connection', () => {
  // The connection object is a service, not state: shallowRef keeps Vue from proxying it.
  const connection = shallowRef<AppConnection | null>(null);
  const state = ref<ConnectionState>('connecting');
  const lostReason = ref<string | null>(null);
  const info = ref<AppInfo | null>(null);
  const infoError = ref<string | null>(null);
  let offStatus: Unsubscribe | null = null;

  /** The shell as the app reports it, or as the bridge detected it before the first answer. */
  const shell = computed<ShellKind | null>(() => info.value?.host ?? connection.value?.shell ?? null);

  async function loadInfo(from: AppConnection): Promise<void> {
    const result = await from.call('app.info', {});
    if (connection.value !== from) return;
    if (result.ok) {
      info.value = result.value;
      infoError.value = null;
    } else {
      infoError.value = result.error.message;
    }
  }

  /** Uses `next` for every call from now on; asks the app who it is on every (re)opening. */
  function attach(next: AppConnection): void {
    detach();
    connection.value = next;
    const apply = (): void => {
      const status = next.status();
      state.value = status.state;
      lostReason.value = status.reason;
      if (status.state === 'open') void loadInfo(next);
    };
    offStatus = next.onStatus(apply);
    apply();
  }

  /** Forgets the connection (it is not closed: whoever made it owns it). */
  function detach(): void {
    offStatus?.();
    offStatus = null;
    connection.value = null;
    state.value = 'connecting';
    lostReason.value = null;
  }

  /** The attached connection; throws when none is, which is a wiring bug, not a user error. */
  function requireConnection(): AppConnection {
    const current = connection.value;
    if (current === null) throw new Error('No app connection is attached to the connection store.');
    return current;
  }

  onScopeDispose(detach);

  return { state, lostReason, info, infoError, shell, attach, detach, requireConnection };
});
