/**
 * Pieces every TrainerProcess implementation needs, whatever kind of process
 * it wraps (Electron utilityProcess, Node child process): the trainer's
 * environment, exit bookkeeping that tells late subscribers too, line-wise
 * forwarding of its output, and the TrainerProcess object around the child.
 */
import type { Transport, Unsubscribe } from '../shared/rpc/transport';
import type { TransportListeners } from '../shared/rpc/transportListeners';
import type { WireMessage } from '../shared/rpc/wire';
import type { TrainerExit, TrainerProcess } from './trainerSpawner';

/** The trainer's environment: `base` with the spawn options' extras over it, unset entries left out. */
export function trainerEnv(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...base, ...extra })) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}

export interface ExitNotifier {
  /** The exit, once it happened; null while the process runs. */
  readonly exit: TrainerExit | null;
  /**
   * Records the exit, runs `first` (e.g. closing the transport: by then
   * `exit` is already set), then tells every exit listener. Does nothing and
   * returns false if the exit was already recorded.
   */
  settle(exit: TrainerExit, first?: () => void): boolean;
  /** TrainerProcess.onExit: a listener added after the exit still hears of it (asynchronously). */
  onExit(listener: (exit: TrainerExit) => void): Unsubscribe;
}

export function createExitNotifier(): ExitNotifier {
  const listeners = new Set<(exit: TrainerExit) => void>();
  let exit: TrainerExit | null = null;
  return {
    get exit() {
      return exit;
    },
    settle(value, first) {
      if (exit !== null) return false;
      exit = value;
      first?.();
      for (const listener of [...listeners]) listener(value);
      listeners.clear();
      return true;
    },
    onExit(listener) {
      if (exit !== null) {
        const known = exit;
        queueMicrotask(() => listener(known));
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Forwards a stream's text line by line (the trainer logs with console.*); blank lines are dropped. */
export function pipeLines(stream: NodeJS.ReadableStream | null, sink: (line: string) => void): void {
  if (stream === null) return;
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') sink(line.trimEnd());
  });
  stream.on('end', () => {
    if (pending.trim() !== '') sink(pending.trimEnd());
    pending = '';
  });
}

/** What trainerProcessOf needs of a started child. */
export interface TrainerChildParts {
  readonly pid: () => number | undefined;
  /** The transport's listeners, finished when the child exits or the transport is closed. */
  readonly listeners: TransportListeners;
  readonly exits: ExitNotifier;
  /** Sends over the child's channel; called only while the transport is open. */
  readonly post: (message: WireMessage) => void;
  /** Ends the child's channel when this side closes the transport, before the close is told. */
  readonly endChannel?: () => void;
  /** Ends the child; called only while it has not exited. */
  readonly kill: () => void;
}

/** The TrainerProcess around a started child: its transport, pid, exit and kill. */
export function trainerProcessOf(parts: TrainerChildParts): TrainerProcess {
  const { listeners, exits } = parts;
  const transport: Transport = {
    send(message: WireMessage) {
      if (!listeners.closed) parts.post(message);
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed') {
      parts.endChannel?.();
      listeners.finish(reason);
    },
  };
  return {
    get pid() {
      return parts.pid() ?? null;
    },
    transport,
    onExit: exits.onExit,
    kill() {
      if (exits.exit === null) parts.kill();
    },
  };
}
