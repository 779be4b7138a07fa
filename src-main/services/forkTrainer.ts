/**
 * Starts the trainer (dist/main/trainer.cjs) as a Node child process with
 * child_process.fork: used by the browser host, the CLI and tests (the
 * desktop app uses Electron's utilityProcess, app/utilityTrainer.ts).
 *
 * The IPC channel uses `serialization: 'advanced'` (structured clone), so
 * typed arrays in messages arrive as typed arrays, as they do over every
 * other transport, and not as JSON objects.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { SpawnTrainer, TrainerProcess } from './trainerSpawner';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import { createExitNotifier, pipeLines, trainerEnv, trainerProcessOf } from './trainerProcessParts';

export interface ForkSpawnerOptions {
  /** The environment the trainer inherits before the spawn options' extras; defaults to process.env. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * Where the trainer's output goes: 'inherit' shares this process's stdout/stderr;
   * a function receives each line (default: written to stderr as `[trainer <pid>] line`).
   */
  readonly output?: 'inherit' | ((line: string, stream: 'stdout' | 'stderr', pid: number | null) => void);
  /** Node flags for the child; defaults to none (not this process's execArgv, which may be a test runner's). */
  readonly execArgv?: readonly string[];
}

const defaultOutput = (line: string, _stream: 'stdout' | 'stderr', pid: number | null): void => {
  process.stderr.write(`[trainer ${pid ?? '?'}] ${line}\n`);
};

/** A SpawnTrainer that forks `trainerPath` (an absolute path to the bundled trainer entry). */
export function createForkSpawner(trainerPath: string, options: ForkSpawnerOptions = {}): SpawnTrainer {
  return (spawnOptions) => {
    const env = trainerEnv(options.baseEnv ?? process.env, spawnOptions.env);
    // Under Electron, process.execPath is the Electron binary: make it act as Node.
    if (process.versions.electron !== undefined) env.ELECTRON_RUN_AS_NODE = '1';
    const output = options.output ?? defaultOutput;
    const child = fork(trainerPath, [], {
      env,
      execArgv: [...(options.execArgv ?? [])],
      serialization: 'advanced',
      stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    if (output !== 'inherit') {
      pipeLines(child.stdout, (line) => output(line, 'stdout', child.pid ?? null));
      pipeLines(child.stderr, (line) => output(line, 'stderr', child.pid ?? null));
    }
    return wrapChild(child);
  };
}

function wrapChild(child: ChildProcess): TrainerProcess {
  const listeners = createTransportListeners();
  const exits = createExitNotifier();
  const closeTransport = (reason: string): void => listeners.finish(reason);
  const exited = (code: number | null, signal: string | null): void => {
    exits.settle({ code, signal }, () =>
      closeTransport(signal !== null ? `the trainer was ended by ${signal}` : `the trainer exited with code ${code}`),
    );
  };

  child.on('message', (message: unknown) => listeners.deliver(message));
  child.on('disconnect', () => closeTransport('the trainer closed its IPC channel'));
  child.on('exit', exited);
  // A process that could not be started emits 'error' and never 'exit'.
  child.on('error', (error) => {
    if (child.pid === undefined) {
      process.stderr.write(`[trainer] could not start: ${error.message}\n`);
      exited(null, null);
    }
  });

  return trainerProcessOf({
    pid: () => child.pid,
    listeners,
    exits,
    post(message) {
      if (!child.connected) return;
      // The callback turns a send racing the child's death into a no-op, not an 'error' event.
      child.send(message, undefined, {}, () => undefined);
    },
    endChannel() {
      // The trainer exits when its channel closes.
      if (child.connected) child.disconnect();
    },
    kill: () => child.kill('SIGKILL'),
  });
}
