/**
 * A bidirectional message pipe. Implementations: in-memory pair (tests),
 * Electron IPC (preload/main), loopback WebSocket (browser host), and the
 * trainer's process channel (utilityProcess, child_process, worker_threads).
 */
import type { WireMessage } from './wire';

export type Unsubscribe = () => void;

export interface Transport {
  /** Sends one message. Messages sent after close are dropped. */
  send(message: WireMessage): void;
  /** Incoming messages are `unknown`: the receiver validates them. */
  onMessage(listener: (message: unknown) => void): Unsubscribe;
  /** Called once when the pipe closes, from either side, with a readable reason. */
  onClose(listener: (reason: string) => void): Unsubscribe;
  close(reason?: string): void;
}
