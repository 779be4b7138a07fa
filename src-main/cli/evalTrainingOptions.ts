/**
 * The options `macl eval` and `macl eval-pretrain` share: the fine-tuning
 * settings of a run (docs/eval-protocol.md), the workspace, the backend and
 * --help.
 */
import { evalSwitchDefaults } from '../eval/evalRun';
import { recalibrateByDefault } from '../ml/bnRecalibration';
import type { EnclosedFillOptions } from '../ml/enclosedStrokeFill';
import { onOffOption, type OptionSpec, type OptionValues } from '../services/commandLineOptions';
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
  'judge-recalibration': { kind: 'choice', choices: ['on', 'off'] },
  workspace: { kind: 'string' },
  backend: backendOption,
  help: { kind: 'flag' },
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** The help line of --recalibrate. */
export const recalibrateUsage = `  --recalibrate on|off    batch-norm statistics from slices spread through the volume before
                          segmenting it, at the end and every checkpoint (ml/bnRecalibration.ts;
                          default ${recalibrateByDefault ? 'on' : 'off'}); the Dice with the training's statistics is
                          reported too
  --judge-recalibration on|off  with --recalibrate on: segment with the training's statistics instead
                          where they fit the strokes strictly better (eval/recalibrationJudge.ts;
                          default ${evalSwitchDefaults.judgeRecalibration ? 'on' : 'off'})`;

/** --recalibrate and --judge-recalibration as EvalOptions fields. */
export function recalibrateOption(values: OptionValues): { recalibrate: boolean; judgeRecalibration: boolean } {
  return {
    recalibrate: onOffOption(values, 'recalibrate') ?? recalibrateByDefault,
    judgeRecalibration: onOffOption(values, 'judge-recalibration') ?? evalSwitchDefaults.judgeRecalibration,
  };
}

/** The help line of --enclosed-fill. */
export const enclosedFillUsage = `  --enclosed-fill off|on|loss|thin|N  label the unstroked inside of a closed background outline as
                          the one structure stroked in it, 2 voxels beside the outline left
                          unlabelled (ml/enclosedStrokeFill.ts; default on: with a class-balanced
                          loss and no prior undone when a structure then outnumbers the background
                          strokes; loss: always so; thin: thinned to the background strokes' count
                          per slice; N: only the strip N voxels deep inside the outline)`;

/** --enclosed-fill as runEval's setting (null: off), or an error message. */
export function parseEnclosedFill(raw: string | undefined): EnclosedFillOptions | null | undefined | string {
  if (raw === undefined) return undefined;
  if (raw === 'off') return null;
  if (raw === 'on') return {};
  if (raw === 'loss' || raw === 'thin') return { balance: raw };
  const strip = Number(raw);
  if (Number.isInteger(strip) && strip >= 1) return { strip };
  return `--enclosed-fill must be off, on, loss, thin or a positive integer (the strip's depth), got "${raw}".`;
}
