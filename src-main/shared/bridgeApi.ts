/**
 * What the Electron preload exposes to the renderer as `window.maclBridge`:
 * one message pipe for the RPC layer and nothing else (no raw ipcRenderer).
 * The browser host has no preload; the renderer then uses a WebSocket.
 */
import type { Unsubscribe } from './rpc/transport';
import type { WireMessage } from './rpc/wire';

export const bridgeGlobalName = 'maclBridge';
/** The single IPC channel name used between preload and main. */
export const bridgeIpcChannel = 'macl:rpc';

export interface MaclBridgeApi {
  send(message: WireMessage): void;
  onMessage(listener: (message: unknown) => void): Unsubscribe;
  /**
   * The absolute path of a file dropped on the window (Electron's
   * webUtils.getPathForFile); '' for files that have none. Typed `unknown`
   * because the contract has no DOM types: pass a DOM File.
   */
  pathForFile?(file: unknown): string;
}
