/**
 * The object the preload exposes as `window.maclBridge`: one outgoing and one
 * incoming message pipe on the single RPC channel, and nothing else. The page
 * never gets ipcRenderer, an IPC event object (whose `sender` is ipcRenderer),
 * a channel name to choose, or any generic send.
 *
 * Built from an injected ipcRenderer (type-only import), so it is tested in
 * plain Node; preload.ts passes the real one.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { bridgeIpcChannel, type MaclBridgeApi } from '../shared/bridgeApi';
import type { WireMessage } from '../shared/rpc/wire';

export type IpcRendererLike = Pick<IpcRenderer, 'send' | 'on' | 'removeListener'>;

/** Outgoing messages must look like RPC messages; the main process validates them fully. */
function assertWireShaped(message: unknown): asserts message is WireMessage {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new TypeError('maclBridge.send expects an RPC message object.');
  }
  if (typeof (message as { t?: unknown }).t !== 'string') {
    throw new TypeError('maclBridge.send expects a message with a string "t".');
  }
}

export function createBridgeApi(ipc: IpcRendererLike, getPathForFile?: (file: File) => string): MaclBridgeApi {
  const api: MaclBridgeApi = {
    send(message) {
      assertWireShaped(message);
      ipc.send(bridgeIpcChannel, message);
    },
    onMessage(listener) {
      if (typeof listener !== 'function') throw new TypeError('maclBridge.onMessage expects a function.');
      // Only the payload crosses into the page: never the event.
      const relay = (_event: IpcRendererEvent, message: unknown): void => listener(message);
      ipc.on(bridgeIpcChannel, relay);
      return () => {
        ipc.removeListener(bridgeIpcChannel, relay);
      };
    },
    ...(getPathForFile === undefined
      ? {}
      : {
          pathForFile(file: unknown): string {
            // Only real File objects: a page cannot ask for paths of arbitrary values.
            if (typeof File === 'undefined' || !(file instanceof File)) throw new TypeError('maclBridge.pathForFile expects a dropped File.');
            return getPathForFile(file);
          },
        }),
  };
  return Object.freeze(api);
}
