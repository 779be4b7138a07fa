/**
 * The Electron preload's message pipe (`window.maclBridge`) as a Transport.
 * The IPC channel lives as long as the window, so it never closes by itself;
 * close() only detaches this side's listeners.
 */
import { bridgeGlobalName, type MaclBridgeApi } from '../../src-main/shared/bridgeApi';
import type { Transport } from '../../src-main/shared/rpc/transport';
import { createTransportListeners } from '../../src-main/shared/rpc/transportListeners';

/** The preload's API when the renderer runs inside the Electron app, else null. */
export function findPreloadBridge(scope: object = globalThis): MaclBridgeApi | null {
  const candidate: unknown = (scope as Record<string, unknown>)[bridgeGlobalName];
  if (typeof candidate !== 'object' || candidate === null) return null;
  const api = candidate as Partial<MaclBridgeApi>;
  return typeof api.send === 'function' && typeof api.onMessage === 'function' ? (candidate as MaclBridgeApi) : null;
}

/** Wraps the preload API; messages go through as structured-cloned objects, no JSON. */
export function createElectronTransport(api: MaclBridgeApi): Transport {
  const listeners = createTransportListeners();
  const detach = api.onMessage((message) => listeners.deliver(message));
  return {
    send(message) {
      if (!listeners.closed) api.send(message);
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed') {
      if (listeners.closed) return;
      detach();
      listeners.finish(reason);
    },
  };
}
