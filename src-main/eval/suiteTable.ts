/**
 * The suite's table as text (a Markdown table, so it can be pasted into
 * docs/eval-protocol.md as it is): one row per case, structure and K.
 */
import type { EnclosedFillOptions } from '../ml/enclosedStrokeFill';
import type { SuiteRow } from './suiteRun';

const lrText = (lr: number): string => (lr >= 1e-3 && lr < 1 ? String(lr) : lr.toExponential(0));

function enclosedFillText(fill: EnclosedFillOptions | null): string {
  if (fill === null) return 'off';
  return [fill.balance ?? 'auto', ...(fill.strip === undefined ? [] : [`strip ${fill.strip}`])].join(' ');
}

/** The backend and settings of a row, compactly. */
export function settingsText(row: SuiteRow): string {
  const s = row.settings;
  const switches = [
    ...(s.recalibrate === undefined ? [] : [`recalibration ${s.recalibrate ? 'on' : 'off'}`]),
    ...(s.judgeRecalibration === undefined ? [] : [`recalibration judged ${s.judgeRecalibration ? 'on' : 'off'}`]),
    ...(s.intensityAugment === undefined ? [] : [`intensity ${s.intensityAugment ? 'on' : 'off'}`]),
    ...(s.keepConnected === undefined ? [] : [`stroke-connected ${s.keepConnected ? 'on' : 'off'}`]),
    ...(s.limitToExtent === undefined ? [] : [`extent limit ${s.limitToExtent ? 'on' : 'off'}`]),
    ...(s.interpolate === undefined ? [] : [`interpolation ${s.interpolate ? 'on' : 'off'}`]),
    ...(s.roi === undefined ? [] : [`region of interest ${s.roi ? 'on' : 'off'}`]),
    ...(s.undoStrokePrior === undefined ? [] : [`prior undone ${s.undoStrokePrior ? 'on' : 'off'}`]),
    ...(s.priorCapped === undefined ? [] : [`prior cap ${s.priorCapped ? 'on' : 'off'}`]),
    ...(s.severalStructures === undefined ? [] : [`several structures balanced ${s.severalStructures ? 'on' : 'off'}`]),
    ...(s.classBalanced === undefined ? [] : [`class-balanced ${s.classBalanced ? 'on' : 'off'}`]),
    ...(s.orientationAugment === undefined ? [] : [`mirror ${s.orientationAugment ? 'on' : 'off'}`]),
    ...(s.mirrorGuard === undefined ? [] : [`mirror guard ${s.mirrorGuard ? 'on' : 'off'}`]),
    ...(s.enclosedFill === undefined ? [] : [`enclosed fill ${enclosedFillText(s.enclosedFill)}`]),
  ];
  // The pixel classifier uses only the stroke-connected filter, the extent limit and the interpolation of these switches.
  if (row.method === 'forest') return `forest: pixel classifier (no network)${s.keepConnected === undefined ? '' : `, stroke-connected ${s.keepConnected ? 'on' : 'off'}`}${s.limitToExtent === undefined ? '' : `, extent limit ${s.limitToExtent ? 'on' : 'off'}`}${s.interpolate === undefined ? '' : `, interpolation ${s.interpolate ? 'on' : 'off'}`}`;
  return `${row.backend} size ${s.size} width ${s.width} batch ${s.batch} lr ${lrText(s.lr)} ${s.steps} steps${switches.map((w) => `, ${w}`).join('')}`;
}

function targetText(row: SuiteRow): [string, string] {
  if (row.target === null || row.offBy === null) return ['-', '-'];
  const target = `>= ${row.target.toFixed(2)}`;
  return [target, row.offBy >= 0 ? 'met' : `${row.offBy.toFixed(3)}`];
}

/** The table: Dice mean ± sample SD (min-max) over the seeds, seconds as means. */
export function formatSuiteTable(rows: readonly SuiteRow[]): string {
  const header = '| case | structure (voxels) | K | Dice mean ± sd (min-max) | seeds | fine-tune s | inference s | target | off by | backend and settings |';
  const rule = '|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((row) => {
    const [target, off] = targetText(row);
    const dice = `${row.diceMean.toFixed(3)} ± ${row.diceSd.toFixed(3)} (${row.diceMin.toFixed(2)}-${row.diceMax.toFixed(2)})`;
    return `| ${row.caseId} | ${row.structure} (${row.truthVoxels}) | ${row.k} | ${dice} | ${row.seeds.length} | ${row.finetuneSeconds.toFixed(1)} | ${row.inferenceSeconds.toFixed(1)} | ${target} | ${off} | ${settingsText(row)} |`;
  });
  return [header, rule, ...lines].join('\n');
}
