/**
 * The options `macl eval` and `macl eval-pretrain` share: the fine-tuning
 * settings of a run (docs/eval-protocol.md), the workspace, the backend and
 * --help.
 */
import { recalibrateByDefault } from '../ml/bnRecalibration';
import { stringOption, type OptionSpec, type OptionValues } from '../services/commandLineOptions';
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
  recalibrate: { kind: 'choice', choices: ['on', 'off'] },
  workspace: { kind: 'string' },
  backend: backendOption,
  help: { kind: 'flag' },
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** The help line of --recalibrate. */
export const recalibrateUsage = `  --recalibrate on|off    batch-norm statistics from slices spread through the volume before
                          segmenting it, at the end and every checkpoint (ml/bnRecalibration.ts;
                          default \${recalibrateByDefault ? 'on' : 'off'}); the Dice with the training's statistics is
                          reported too`;

/** --recalibrate as an EvalOptions field. */
export function recalibrateOption(values: OptionValues): { recalibrate: boolean } {
  const given = stringOption(values, 'recalibrate');
  return { recalibrate: given === undefined ? recalibrateByDefault : given === 'on' };
}
