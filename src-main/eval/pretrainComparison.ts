/**
 * The pre-training comparison (docs/eval-protocol.md, "Pre-training and
 * SimCVD"): the evaluation protocol run for every combination of init
 * (scratch or a pre-trained model), fine-tuning method (supervised or
 * SimCVD), K stroked slices per structure and seed, on one labelled case.
 * Results stream out run by run (a long comparison that is stopped keeps
 * what it measured) and are summarised as mean and sample standard
 * deviation of the mean Dice per arm and K, and per structure where the
 * case has several.
 */
import type * as tf from '@tensorflow/tfjs';
import type { FinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import type { TensorSource } from '../ml/transfer';
import { firstReaching, runEval, type EvalCase, type EvalOptions, type EvalResult } from './evalRun';

/** An init made for each seed (e.g. eval/encoderOnlyInit.ts); its tensors are disposed after the run. */
export type SeededInit = (seed: number) => Map<string, tf.Tensor>;

/** One arm: how the U-Net starts and how it is fine-tuned. */
export interface ComparisonArm {
  readonly name: string;
  readonly init: TensorSource | SeededInit | null;
  readonly method: FinetuneMethod;
}

/** One structure's Dice in a run. */
export interface StructureDice {
  readonly label: number;
  readonly dice: number;
}

/** One finished run. */
export interface ComparisonRun {
  readonly arm: string;
  readonly k: number;
  readonly seed: number;
  readonly meanDice: number;
  readonly finetuneSeconds: number;
  /** Fine-tuning steps (and their seconds) to the first checkpoint at or above ComparisonOptions.reach; null when not reached or not asked. */
  readonly reachStep: number | null;
  readonly reachSeconds: number | null;
  /** With recalibration: the final mean Dice with the running statistics training left (EvalResult.runningStatsDice). */
  readonly runningStatsDice?: number;
  /** The final Dice per structure (recalibrated where the run was). */
  readonly labels: readonly StructureDice[];
}

export interface ComparisonOptions extends Omit<EvalOptions, 'init' | 'method' | 'scribbleSlices' | 'seed'> {
  readonly arms: readonly ComparisonArm[];
  readonly ks: readonly number[];
  readonly seeds: readonly number[];
  /** A mean Dice whose first crossing is reported per run (scored every checkpointEvery steps). */
  readonly reach?: number;
  readonly onRun?: (run: ComparisonRun, result: EvalResult) => void;
}

/** Runs every seed x K x arm (seeds outermost, so a stopped run has every arm for the seeds done). */
export async function runPretrainComparison(evalCase: EvalCase, options: ComparisonOptions): Promise<ComparisonRun[]> {
  const { arms, ks, seeds, onRun, reach, ...shared } = options;
  const runs: ComparisonRun[] = [];
  for (const seed of seeds) {
    for (const k of ks) {
      for (const arm of arms) {
        const { init } = arm;
        const seeded = typeof init === 'function' ? init(seed) : null;
        let result: EvalResult;
        try {
          result = await runEval(evalCase, { ...shared, init: typeof init === 'function' ? seeded : init, method: arm.method, scribbleSlices: k, seed });
        } finally {
          if (seeded !== null) for (const tensor of seeded.values()) tensor.dispose();
        }
        const reached = reach === undefined ? null : firstReaching(result.curve, reach);
        const run = { arm: arm.name, k, seed, meanDice: result.meanDice, finetuneSeconds: result.finetuneSeconds, reachStep: reached?.step ?? null, reachSeconds: reached?.seconds ?? null, ...(result.runningStatsDice === undefined ? {} : { runningStatsDice: result.runningStatsDice }), labels: result.labels.map((l) => ({ label: l.label, dice: l.dice })) };
        runs.push(run);
        onRun?.(run, result);
      }
    }
  }
  return runs;
}

/** Mean and sample standard deviation (0 for one value). */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

/** "mean +- sd (n)", or a dash for no values. */
function meanSdCell(values: readonly number[]): string {
  if (values.length === 0) return '-';
  const { mean, sd } = meanAndSd(values);
  return `${mean.toFixed(3)} +- ${sd.toFixed(3)} (${values.length})`;
}

/**
 * A markdown table: one row per arm, one column per K, "mean +- sd (n)" of the mean Dice, and the
 * mean fine-tuning seconds; when runs were recalibrated, one more column per K: the same of the
 * Dice with the training's running statistics (a recalibration that fails decides a mean on its
 * own, so both are shown); with `reach`, one more column per K: the median steps to that Dice over
 * the runs that reached it, and how many did ("60 (4/5)").
 */
export function comparisonTable(runs: readonly ComparisonRun[], arms: readonly string[], ks: readonly number[], reach?: number): string {
  const twoStatistics = runs.some((r) => r.runningStatsDice !== undefined);
  const runningHeads = twoStatistics ? ks.map((k) => `K = ${k}, training's statistics`) : [];
  const reachHeads = reach === undefined ? [] : ks.map((k) => `steps to ${reach}, K = ${k}`);
  const heads = [...ks.map((k) => `K = ${k}`), ...runningHeads, ...reachHeads];
  const header = `| arm | ${heads.join(' | ')} | fine-tune s / run |`;
  const rule = `|---|${heads.map(() => '---|').join('')}---|`;
  const rows = arms.map((arm) => {
    const mine = runs.filter((r) => r.arm === arm);
    const cells = ks.map((k) => meanSdCell(mine.filter((r) => r.k === k).map((r) => r.meanDice)));
    const runningCells = twoStatistics ? ks.map((k) => meanSdCell(mine.filter((r) => r.k === k).flatMap((r) => (r.runningStatsDice === undefined ? [] : [r.runningStatsDice])))) : [];
    const reachCells = reach === undefined ? [] : ks.map((k) => {
      const atK = mine.filter((r) => r.k === k);
      const steps = atK.flatMap((r) => (r.reachStep === null ? [] : [r.reachStep]));
      if (atK.length === 0) return '-';
      return `${steps.length === 0 ? 'never' : median(steps)} (${steps.length}/${atK.length})`;
    });
    const seconds = meanAndSd(mine.map((r) => r.finetuneSeconds)).mean;
    return `| ${arm} | ${[...cells, ...runningCells, ...reachCells].join(' | ')} | ${mine.length === 0 ? '-' : seconds.toFixed(0)} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/**
 * A markdown table of the Dice per structure: one row per arm and K, one column per structure
 * label, "mean +- sd (n)" over the seeds; null when every run has at most one structure (the
 * comparison table says it all then).
 */
export function structureTable(runs: readonly ComparisonRun[], arms: readonly string[], ks: readonly number[]): string | null {
  const labels = [...new Set(runs.flatMap((r) => r.labels.map((l) => l.label)))].sort((a, b) => a - b);
  if (labels.length < 2) return null;
  const header = `| arm | K | ${labels.map((l) => `label ${l}`).join(' | ')} |`;
  const rule = `|---|---|${labels.map(() => '---|').join('')}`;
  const rows = arms.flatMap((arm) => ks.flatMap((k) => {
    const mine = runs.filter((r) => r.arm === arm && r.k === k);
    if (mine.length === 0) return [];
    const cells = labels.map((label) => meanSdCell(mine.flatMap((r) => r.labels.filter((l) => l.label === label).map((l) => l.dice))));
    return [`| ${arm} | ${k} | ${cells.join(' | ')} |`];
  }));
  return [header, rule, ...rows].join('\n');
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}
