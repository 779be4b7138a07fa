/**
 * The pre-training comparison (docs/eval-protocol.md, "Pre-training and
 * SimCVD"): the evaluation protocol run for every combination of init
 * (scratch or a pre-trained model), fine-tuning method (supervised or
 * SimCVD), K stroked slices per structure and seed, on one labelled case.
 * Results stream out run by run (a long comparison that is stopped keeps
 * what it measured) and are summarised as mean and sample standard
 * deviation of the mean Dice per arm and K.
 */
import type { FinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import type { TensorSource } from '../ml/transfer';
import { runEval, type EvalCase, type EvalOptions, type EvalResult } from './evalRun';

/** One arm: how the U-Net starts and how it is fine-tuned. */
export interface ComparisonArm {
  readonly name: string;
  readonly init: TensorSource | null;
  readonly method: FinetuneMethod;
}

/** One finished run. */
export interface ComparisonRun {
  readonly arm: string;
  readonly k: number;
  readonly seed: number;
  readonly meanDice: number;
  readonly finetuneSeconds: number;
}

export interface ComparisonOptions extends Omit<EvalOptions, 'init' | 'method' | 'scribbleSlices' | 'seed'> {
  readonly arms: readonly ComparisonArm[];
  readonly ks: readonly number[];
  readonly seeds: readonly number[];
  readonly onRun?: (run: ComparisonRun, result: EvalResult) => void;
}

/** Runs every seed x K x arm (seeds outermost, so a stopped run has every arm for the seeds done). */
export async function runPretrainComparison(evalCase: EvalCase, options: ComparisonOptions): Promise<ComparisonRun[]> {
  const { arms, ks, seeds, onRun, ...shared } = options;
  const runs: ComparisonRun[] = [];
  for (const seed of seeds) {
    for (const k of ks) {
      for (const arm of arms) {
        const result = await runEval(evalCase, { ...shared, init: arm.init, method: arm.method, scribbleSlices: k, seed });
        const run = { arm: arm.name, k, seed, meanDice: result.meanDice, finetuneSeconds: result.finetuneSeconds };
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

/** A markdown table: one row per arm, one column per K, "mean +- sd (n)" of the mean Dice, and the mean fine-tuning seconds. */
export function comparisonTable(runs: readonly ComparisonRun[], arms: readonly string[], ks: readonly number[]): string {
  const header = `| arm | ${ks.map((k) => `K = ${k}`).join(' | ')} | fine-tune s / run |`;
  const rule = `|---|${ks.map(() => '---|').join('')}---|`;
  const rows = arms.map((arm) => {
    const mine = runs.filter((r) => r.arm === arm);
    const cells = ks.map((k) => {
      const dice = mine.filter((r) => r.k === k).map((r) => r.meanDice);
      if (dice.length === 0) return '-';
      const { mean, sd } = meanAndSd(dice);
      return `${mean.toFixed(3)} +- ${sd.toFixed(3)} (${dice.length})`;
    });
    const seconds = meanAndSd(mine.map((r) => r.finetuneSeconds)).mean;
    return `| ${arm} | ${cells.join(' | ')} | ${mine.length === 0 ? '-' : seconds.toFixed(0)} |`;
  });
  return [header, rule, ...rows].join('\n');
}
