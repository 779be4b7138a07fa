/**
 * Starts the trainer (dist/main/trainer.cjs) as an Electron utilityProcess:
 * a Node process the main process supervises, so a GPU fault or an
 * out-of-memory in training kills only the trainer, never the window.
 *
 * The RPC pipe is the utility process's own message port: here
 * `child.postMessage` / `child.on('message')`; in the trainer
 * `process.parentPort.postMessage` / `process.parentPort.on('message', e => e.data)`.
 * Messages are structured-cloned, as over every other transport.
 *
 * `fork` is passed in (utilityProcess.fork in main.ts), so this is tested in
 * plain Node with a fake child.
 */
import type { ForkOptions } from 'electron';
import type { SpawnTrainer, TrainerProcess } from '../services/trainerSpawner';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import { createExitNotifier, pipeLines, trainerEnv, trainerProcessOf } from '../services/trainerProcessParts';

/** The parts of Electron's UtilityProcess used here. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): unknown;
}

export type ForkUtility = (modulePath: string, args: string[], options: ForkOptions) => UtilityChild;

export interface UtilityTrainerOptions {
  readonly fork: ForkUtility;
  /** Absolute path of the trainer bundle (inside app.asar when packaged). */
  readonly modulePath: string;
  /** The environment the trainer inherits, before the spawn options' extras. */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
}

/** Shown in the OS task manager and in Electron's process metrics. */
export const trainerServiceName = 'MACL trainer';

export function createUtilityTrainerSpawner(options: UtilityTrainerOptions): SpawnTrainer {
  return (spawnOptions) => {
    const env = trainerEnv(options.baseEnv, spawnOptions.env);
    const child = options.fork(options.modulePath, [], { serviceName: trainerServiceName, env, stdio: 'pipe' });
    return wrapChild(child, options.log);
  };
}

function wrapChild(child: UtilityChild, log: (line: string) => void): TrainerProcess {
  const listeners = createTransportListeners();
  const exits = createExitNotifier();
  const closeTransport = (reason: string): void => listeners.finish(reason);

  pipeLines(child.stdout, (line) => log(`[trainer] ${line}`));
  pipeLines(child.stderr, (line) => log(`[trainer:err] ${line}`));
  child.on('message', (message: unknown) => listeners.deliver(message));
  child.on('error', (type, location) => log(`trainer: ${type} at ${location}`));
  child.on('exit', (code) => {
    exits.settle({ code, signal: null }, () => closeTransport(`trainer exited with code ${code}`));
  });

  return trainerProcessOf({
    pid: () => child.pid,
    listeners,
    exits,
    post: (message) => child.postMessage(message),
    // A utility process has no way to close its port but to end (no endChannel);
    // the supervisor kills the process itself when it means to.
    kill: () => child.kill(),
  });
}
