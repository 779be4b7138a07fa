/**
 * How a supervisor starts a trainer process without knowing which kind of
 * process it is: Electron's utilityProcess in the desktop app, a Node
 * child process in the browser host, the CLI and tests.
 */
import type { Transport, Unsubscribe } from '../shared/rpc/transport';

export interface TrainerExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface TrainerProcess {
  /** OS process id, once known. */
  readonly pid: number | null;
  /** The RPC pipe to the trainer entry (src-main/trainer/entry.ts). */
  readonly transport: Transport;
  /** Called once when the process has exited, for whatever reason. */
  onExit(listener: (exit: TrainerExit) => void): Unsubscribe;
  /** Ends the process (SIGKILL-equivalent); onExit listeners still run. */
  kill(): void;
}

export interface SpawnTrainerOptions {
  /** Extra environment for the trainer (e.g. VK_ICD_FILENAMES to force SwiftShader). */
  readonly env: Readonly<Record<string, string>>;
}

export type SpawnTrainer = (options: SpawnTrainerOptions) => TrainerProcess;
