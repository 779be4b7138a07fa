/**
 * The Electron preload's message pipe (`window.maclBridge`) as a Transport.
 * The IPC channel lives as long as the window, so it never closes by itself;
 * close() only detaches this side's listeners.
 */
import { bridgeGlobalName, type MaclBridgeApi } from '../../src-main/shared/bridgeApi';
import type { Transport, Unsubscribe } from '../../src-main/shared/rpc/transport';

/** The preload's API when the renderer runs inside the Electron app, else null. */
export function findPreloadBridge(scope: object = globalThis): MaclBridgeApi | null {
  const candidate: unknown = (scope as Record<string, unknown>)[bridgeGlobalName];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const api = candidate as Partial<MaclBridgeApi>;
  return typeof api.send === 'function' && typeof api.onMessage === 'function' ? (candidate as MaclBridgeApi) : null;
}

/** Wraps the preload API; messages go through as structured-cloned objects, no JSON. */
export function createElectronTransport(api: MaclBridgeApi): Transport {
  const detachers = new Set<Unsubscribe>();
  const closeListeners = new Set<(reason: string) => void>();
  let closed = false;
  return {
    send(message) {
      if (!closed) api.send(message);
    },
    onMessage(listener) {
      const off = api.onMessage((message) => {
        if (!closed) listener(message);
      });
      detachers.add(off);
      return () => {
        off();
        detachers.delete(off);
      };
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close(reason = 'closed') {
      if (closed) return;
      closed = true;
      for (const off of detachers) off();
      detachers.clear();
      for (const listener of [...closeListeners]) listener(reason);
      closeListeners.clear();
    },
  };
}
