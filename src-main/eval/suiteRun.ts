/**
 * The suite's loop (`macl eval-suite`, docs/eval-protocol.md): for each case,
 * each K (slices stroked per structure) and each seed, one run of the
 * simulated radiologist (runEval), then per structure and K the Dice's mean
 * and spread over the seeds beside the target its kind is held to.
 */
import type { EnclosedFillOptions } from '../ml/enclosedStrokeFill';
import { finetuneAugmentation } from '../ml/augment';
import { runEval, type EvalResult } from './evalRun';
import { runForestEval } from './forestEval';
import type { LabelResult } from './scoreScribbled';
import type { PreparedCase } from './suiteData';
import type { StructureKind, SuiteCase } from './suiteCases';

/** The Dice each kind of structure should reach from 3 stroked slices; null: no target (timing only). */
export const suiteTargets: Readonly<Record<StructureKind, number | null>> = {
  brain: 0.95,
  tissue: 0.85,
  // Every structure of a multi-structure task, the small ones (a few thousand voxels) and the large ones beside them.
  structure: 0.8,
  // The phantom's bar (docs/eval-protocol.md).
  phantom: 0.9,
  timing: null,
};

/** The fine-tuning settings of one case. */
export interface SuiteSettings {
  readonly size: number;
  readonly batch: number;
  readonly width: number;
  readonly lr: number;
  /** Design switches left at runEval's defaults when absent (for before/after comparisons). */
  readonly recalibrate?: boolean;
  readonly intensityAugment?: boolean;
  readonly keepConnected?: boolean;
  /** Each structure limited to its strokes' extent (runEval's limitToExtent). */
  readonly limitToExtent?: boolean;
  /** The answer fused with the shapes interpolated between the painted slices (runEval's interpolate). */
  readonly interpolate?: boolean;
  readonly roi?: boolean;
  /** Undo the strokes' class prior at inference (runEval's priorAlpha at its default, or 0). */
  readonly undoStrokePrior?: boolean;
  /** Off: the prior's weights uncapped (runEval's priorCap Infinity); after the class-balanced CE, the uniform prior. */
  readonly priorCapped?: boolean;
  /** Several structures trained with the balanced CE and the uniform prior (runEval's severalStructures). */
  readonly severalStructures?: boolean;
  /** Complete the training labels inside closed outlines (runEval's enclosedFill; null: none). */
  readonly enclosedFill?: EnclosedFillOptions | null;
  /** Class-balanced cross-entropy (runEval's classBalanced). */
  readonly classBalanced?: boolean;
  /** Off: fine-tuning's augmentation without the mirror (ml/augment.ts finetuneAugmentation) instead of the pre-training's. */
  readonly orientationAugment?: boolean;
  /** Mirrored samples without the strokes the mirror contradicts (runEval's mirrorGuard). */
  readonly mirrorGuard?: boolean;
  /** The final segmentation's statistics chosen by the strokes (runEval's judgeRecalibration). */
  readonly judgeRecalibration?: boolean;
}

export interface SuiteRunOptions {
  readonly ks: readonly number[];
  readonly seeds: readonly number[];
  readonly steps: number;
  /** The settings for a case (the caller resolves them for its backend and checks its memory). */
  readonly settingsFor: (prepared: PreparedCase) => SuiteSettings;
  /** 'network' (default): the U-Net fine-tuned on the strokes; 'forest': the pixel classifier of the loop's quick answer (forestEval.ts). */
  readonly method?: 'network' | 'forest';
  readonly log?: (line: string) => void;
}

/** What a row needs of one run (the network's EvalResult, or the forest's in the same terms). */
export type SuiteRunResult = Pick<EvalResult, 'labels' | 'finetuneSeconds' | 'inferenceSeconds' | 'backend'>;

/** One line of the table: a structure of a case at one K, over the seeds. */
export interface SuiteRow {
  readonly caseId: string;
  readonly structure: string;
  readonly kind: StructureKind;
  readonly k: number;
  readonly seeds: readonly number[];
  readonly dice: readonly number[];
  readonly diceMean: number;
  /** Sample standard deviation over the seeds (0 for one seed). */
  readonly diceSd: number;
  readonly diceMin: number;
  readonly diceMax: number;
  readonly truthVoxels: number;
  /** Mean over the seeds, seconds. */
  readonly finetuneSeconds: number;
  readonly inferenceSeconds: number;
  readonly target: number | null;
  /** diceMean - target: negative when the target is missed (null without a target). */
  readonly offBy: number | null;
  readonly backend: string;
  readonly settings: SuiteSettings & { readonly steps: number };
  /** Set to 'forest' for the pixel classifier's rows (fine-tune s is then its training). */
  readonly method?: 'forest';
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/** The rows of one case at one K from its runs over the seeds. */
export function suiteRows(suiteCase: SuiteCase, k: number, seeds: readonly number[], runs: readonly SuiteRunResult[], settings: SuiteSettings & { readonly steps: number }, method?: 'forest'): SuiteRow[] {
  return suiteCase.structures.map((structure) => {
    const per = runs.map((run) => {
      const found = run.labels.find((l) => l.label === structure.label);
      if (found === undefined) throw new Error(`${suiteCase.id}: no result for ${structure.name} (label ${structure.label}).`);
      return found;
    });
    const dice = per.map((l) => l.dice);
    const target = suiteTargets[structure.kind];
    const diceMean = mean(dice);
    return {
      caseId: suiteCase.id,
      structure: structure.name,
      kind: structure.kind,
      k,
      seeds,
      dice,
      diceMean,
      diceSd: sd(dice),
      diceMin: Math.min(...dice),
      diceMax: Math.max(...dice),
      truthVoxels: per[0]?.truthVoxels ?? 0,
      finetuneSeconds: mean(runs.map((r) => r.finetuneSeconds)),
      inferenceSeconds: mean(runs.map((r) => r.inferenceSeconds)),
      target,
      offBy: target === null ? null : diceMean - target,
      backend: runs[0]?.backend ?? '',
      settings,
      ...(method === undefined ? {} : { method }),
    };
  });
}

/** Each structure's Dice, with the Dice without the interpolated shapes, without the extent limit, before both filters and without the prior's weights in brackets when they ran. */
function diceText(labels: readonly LabelResult[]): string {
  return labels
    .map((l) => {
      const notes = [...(l.uninterpolatedDice === undefined ? [] : [`uninterpolated ${l.uninterpolatedDice.toFixed(3)}`]), ...(l.unlimitedDice === undefined ? [] : [`unlimited ${l.unlimitedDice.toFixed(3)}`]), ...(l.unfilteredDice === undefined ? [] : [`unfiltered ${l.unfilteredDice.toFixed(3)}`]), ...(l.unweightedDice === undefined ? [] : [`unweighted ${l.unweightedDice.toFixed(3)}`])];
      return `${l.dice.toFixed(3)}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
    })
    .join(' / ');
}

/** Runs one prepared case at every K and seed; resolves with its rows. */
export async function runSuiteCase(suiteCase: SuiteCase, prepared: PreparedCase, options: SuiteRunOptions): Promise<SuiteRow[]> {
  const settings = { ...options.settingsFor(prepared), steps: options.steps };
  const rows: SuiteRow[] = [];
  for (const k of options.ks) {
    const runs: SuiteRunResult[] = [];
    for (const seed of options.seeds) {
      if (options.method === 'forest') {
        const forest = runForestEval(prepared, { scribbleSlices: k, labels: prepared.labels, seed, ...(settings.keepConnected === undefined ? {} : { keepConnected: settings.keepConnected }), ...(settings.limitToExtent === undefined ? {} : { limitToExtent: settings.limitToExtent }), ...(settings.interpolate === undefined ? {} : { interpolate: settings.interpolate }) });
        options.log?.(`${suiteCase.id} K=${k} seed ${seed}: forest${forest.location ? " (with position)" : ""} ${diceText(forest.labels)} (train ${forest.trainSeconds.toFixed(2)} s, predict ${forest.predictSeconds.toFixed(2)} s; processor time ${forest.trainCpuSeconds.toFixed(2)} s and ${forest.predictCpuSeconds.toFixed(2)} s)`);
        runs.push({ labels: forest.labels, finetuneSeconds: forest.trainSeconds, inferenceSeconds: forest.predictSeconds, backend: 'js' });
        continue;
      }
      const quarter = Math.max(1, Math.round(settings.steps / 4));
      const { undoStrokePrior, priorCapped, orientationAugment, ...evalSettings } = settings;
      const result = await runEval(prepared, {
        scribbleSlices: k,
        labels: prepared.labels,
        init: null,
        seed,
        ...evalSettings,
        ...(undoStrokePrior === false ? { priorAlpha: 0 } : {}),
        ...(priorCapped === false ? { priorCap: Infinity } : {}),
        ...(orientationAugment === false ? { augment: finetuneAugmentation } : {}),
        onStep: (step) => {
          if ((step.step + 1) % quarter === 0 && step.step + 1 < settings.steps) options.log?.(`${suiteCase.id} K=${k} seed ${seed}: step ${step.step + 1}/${settings.steps}, loss ${step.loss.toFixed(4)}, ${step.ms.toFixed(0)} ms/step`);
        },
      });
      options.log?.(`${suiteCase.id} K=${k} seed ${seed}: ${diceText(result.labels)} (fine-tune ${result.finetuneSeconds.toFixed(1)} s, inference ${result.inferenceSeconds.toFixed(1)} s)`);
      runs.push(result);
    }
    rows.push(...suiteRows(suiteCase, k, options.seeds, runs, settings, options.method === 'forest' ? 'forest' : undefined));
  }
  return rows;
}
