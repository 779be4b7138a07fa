/**
 * Pieces every TrainerProcess implementation needs, whatever kind of process
 * it wraps (Electron utilityProcess, Node child process): exit bookkeeping
 * that tells late subscribers too, and line-wise forwarding of its output.
 */
import type { Unsubscribe } from '../shared/rpc/transport';
import type { TrainerExit } from './trainerSpawner';

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
