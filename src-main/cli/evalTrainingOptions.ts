/**
 * The options `macl eval` and `macl eval-pretrain` share: the fine-tuning
 * settings of a run (docs/eval-protocol.md), the workspace, the backend and
 * --help.
 */
import type { OptionSpec } from '../services/commandLineOptions';
import { backendOption } from './cliBackend';

export const evalTrainingOptions = {
  steps: { kind: 'int', min: 1 },
  size: { kind: 'int', min: 16 },
  width: { kind: 'int', min: 1 },
  batch: { kind: 'int', min: 2 },
  lr: { kind: 'number', min: 0 },
  smoothness: { kind: 'number', min: 0 },
  'freeze-steps': { kind: 'int', min: 0 },
  'transfer-lr-scale': { kind: 'number', min: 0 },
  workspace: { kind: 'string' },
  backend: backendOption,
  help: { kind: 'flag' },
} as const satisfies Readonly<Record<string, OptionSpec>>;
