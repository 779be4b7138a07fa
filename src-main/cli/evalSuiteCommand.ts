/**
 * `macl eval-suite`: the simulated radiologist of `macl eval` on the suite's
 * real labelled cases and the phantom (src-main/eval/suiteCases.ts), for
 * several K and seeds, printed as one table beside the targets
 * (docs/eval-protocol.md). The real cases' data comes from
 * scripts/fetch-real-data.sh.
 */
import { parseArgs, type OptionSpec, type OptionValues } from '../services/commandLineOptions';
import { prepareSuiteCase, defaultDataDir, type PreparedCase } from '../eval/suiteData';
import { quickCaseIds, suiteCase, suiteCases, type SuiteCase } from '../eval/suiteCases';
import { runSuiteCase, type SuiteRow, type SuiteSettings } from '../eval/suiteRun';
import { formatSuiteTable } from '../eval/suiteTable';
import { evalSwitchDefaults } from '../eval/evalRun';
import { defaultsNote, resolveEvalSettings, type EvalSettings } from './backendDefaults';
import { backendChoices, backendOf, backendOption, prepareBackend } from './cliBackend';
import { enclosedFillUsage, parseEnclosedFill } from './evalTrainingOptions';

export const evalSuiteUsage = `Usage: macl eval-suite [--quick] [--cases A,B] [--k 1,2,3,5] [--seeds 1,2,3] [options]

Runs the simulated radiologist of \`macl eval\` (strokes on K slices per
structure, fine-tuning from scratch, 3-D Dice per structure) on real labelled
scans and the synthetic phantom, and prints one table: case, structure, K,
Dice mean ± sd over the seeds, fine-tuning seconds, the target and how far
off, backend and settings (docs/eval-protocol.md). Fetch the real data first:
scripts/fetch-real-data.sh.

  --cases A,B       cases to run (default: all): ${suiteCases.map((c) => c.id).join(', ')}
  --k LIST          slices stroked per structure (default 1,2,3,5)
  --seeds LIST      seeds of the strokes' fine-tuning (default 1,2,3)
  --quick           ${quickCaseIds.join(' and ')} at K=3 over seeds 1,2 (options given still apply)
  --steps N         fine-tuning steps per run (default 200)
  --size S, --width W, --batch B, --lr LR
                    fine-tuning settings (default: as \`macl eval\`, the interactive session's for the backend)
  --recalibrate on|off, --intensity on|off, --keep-connected on|off, --extent on|off, --interpolate on|off, --roi on|off, --prior on|off, --prior-cap on|off,
  --several-structures on|off,
  --class-balanced on|off, --orientation-augment on|off, --mirror-guard on|off,
  --judge-recalibration on|off
${enclosedFillUsage}
                    design switches (default: as \`macl eval\`), to measure a change before and after
  --method M        network (default) or forest: the interactive loop's quick answer, a random
                    forest on multi-scale pixel features (the fine-tune column is its training)
  --data DIR        the data cache (default: $MACL_REAL_DATA, else test-output/real-data)
  --backend B       ${backendChoices} (default auto)
  --json            one JSON object: the rows and what ran them
  --list            print the cases with their sources and licences, and stop`;

const optionSpecs: Readonly<Record<string, OptionSpec>> = {
  cases: { kind: 'string' },
  k: { kind: 'string' },
  seeds: { kind: 'string' },
  quick: { kind: 'flag' },
  steps: { kind: 'string' },
  size: { kind: 'string' },
  width: { kind: 'string' },
  batch: { kind: 'string' },
  lr: { kind: 'string' },
  recalibrate: { kind: 'choice', choices: ['on', 'off'] },
  'keep-connected': { kind: 'choice', choices: ['on', 'off'] },
  extent: { kind: 'choice', choices: ['on', 'off'] },
  interpolate: { kind: 'choice', choices: ['on', 'off'] },
  intensity: { kind: 'choice', choices: ['on', 'off'] },
  roi: { kind: 'choice', choices: ['on', 'off'] },
  prior: { kind: 'choice', choices: ['on', 'off'] },
  'prior-cap': { kind: 'choice', choices: ['on', 'off'] },
  'several-structures': { kind: 'choice', choices: ['on', 'off'] },
  'enclosed-fill': { kind: 'string' },
  'class-balanced': { kind: 'choice', choices: ['on', 'off'] },
  'orientation-augment': { kind: 'choice', choices: ['on', 'off'] },
  'mirror-guard': { kind: 'choice', choices: ['on', 'off'] },
  'judge-recalibration': { kind: 'choice', choices: ['on', 'off'] },
  method: { kind: 'choice', choices: ['network', 'forest'] },
  data: { kind: 'string' },
  backend: backendOption,
  json: { kind: 'flag' },
  list: { kind: 'flag' },
  help: { kind: 'flag' },
};

/** A comma-separated list of integers >= min; a string is the error. */
export function parseIntList(name: string, raw: string, min: number): number[] | string {
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < min)) return `--${name} must be integers >= ${min} separated by commas, got "${raw}".`;
  return [...new Set(values)];
}

function parsePositive(name: string, raw: string | undefined, integer: boolean): number | undefined | string {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) return `--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}".`;
  return value;
}

/** What the options ask for; a string is the error. */
export interface SuitePlan {
  readonly cases: readonly SuiteCase[];
  readonly ks: readonly number[];
  readonly seeds: readonly number[];
  readonly steps: number;
  readonly given: Partial<EvalSettings>;
  readonly method: 'network' | 'forest';
  readonly switches: SuiteSwitches;
}

/** The design switches given (absent: runEval's default). */
type SuiteSwitches = Pick<SuiteSettings, 'recalibrate' | 'intensityAugment' | 'keepConnected' | 'limitToExtent' | 'interpolate' | 'roi' | 'undoStrokePrior' | 'priorCapped' | 'severalStructures' | 'classBalanced' | 'orientationAugment' | 'mirrorGuard' | 'judgeRecalibration'> & Pick<SuiteSettings, 'enclosedFill'>;

function parseSwitch(name: string, raw: string | undefined): boolean | undefined | string {
  if (raw === undefined) return undefined;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  return `--${name} must be on or off, got "${raw}".`;
}

/** The plan of a run from the parsed options. */
export function suitePlan(values: OptionValues): SuitePlan | string {
  const quick = values.quick === true;
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  let cases: SuiteCase[];
  try {
    cases = (str('cases')?.split(',').map((id) => id.trim()) ?? (quick ? quickCaseIds : suiteCases.map((c) => c.id))).map(suiteCase);
  } catch (thrown) {
    return thrown instanceof Error ? thrown.message : String(thrown);
  }
  const ks = parseIntList('k', str('k') ?? (quick ? '3' : '1,2,3,5'), 1);
  const seeds = parseIntList('seeds', str('seeds') ?? (quick ? '1,2' : '1,2,3'), 0);
  if (typeof ks === 'string') return ks;
  if (typeof seeds === 'string') return seeds;
  const given: Record<string, number> = {};
  for (const [name, integer] of [['steps', true], ['size', true], ['width', true], ['batch', true], ['lr', false]] as const) {
    const value = parsePositive(name, str(name), integer);
    if (typeof value === 'string') return value;
    if (value !== undefined) given[name] = value;
  }
  if (given.size !== undefined && given.size % 16 !== 0) return `--size must be a multiple of 16, got ${given.size}.`;
  if (given.batch !== undefined && given.batch < 2) return `--batch must be at least 2, got ${given.batch}.`;
  const switches: { -readonly [K in keyof SuiteSwitches]?: SuiteSwitches[K] } = {};
  for (const [option, key] of [['recalibrate', 'recalibrate'], ['intensity', 'intensityAugment'], ['keep-connected', 'keepConnected'], ['extent', 'limitToExtent'], ['interpolate', 'interpolate'], ['roi', 'roi'], ['prior', 'undoStrokePrior'], ['prior-cap', 'priorCapped'], ['several-structures', 'severalStructures'], ['class-balanced', 'classBalanced'], ['orientation-augment', 'orientationAugment'], ['mirror-guard', 'mirrorGuard'], ['judge-recalibration', 'judgeRecalibration']] as const) {
    const value = parseSwitch(option, str(option));
    if (typeof value === 'string') return value;
    if (value !== undefined) switches[key] = value;
  }
  const enclosedFill = parseEnclosedFill(str('enclosed-fill'));
  if (typeof enclosedFill === 'string') return enclosedFill;
  if (enclosedFill !== undefined) switches.enclosedFill = enclosedFill;
  const method = str('method') ?? 'network';
  if (method !== 'network' && method !== 'forest') return `--method must be network or forest, got "${method}".`;
  const { steps = 200, ...settings } = given;
  return { cases, ks, seeds, steps, given: settings, switches, method };
}

/** Runs `macl eval-suite`; returns the exit code. */
export async function runEvalSuiteCommand(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, optionSpecs);
  const problem = 'error' in parsed ? parsed.error : parsed.positionals.length > 0 ? `Unexpected argument "${parsed.positionals[0] ?? ''}".` : null;
  if (problem !== null || 'error' in parsed) {
    console.error(`${problem ?? ''}\n\n${evalSuiteUsage}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help === true) {
    console.log(evalSuiteUsage);
    return 0;
  }
  if (values.list === true) {
    for (const c of suiteCases) console.log(`${c.id}: ${c.title}\n  structures: ${c.structures.map((s) => s.name).join(', ')}\n  source: ${c.provenance}`);
    return 0;
  }
  const plan = suitePlan(values);
  if (typeof plan === 'string') {
    console.error(`${plan}\n\n${evalSuiteUsage}`);
    return 2;
  }
  const preference = backendOf(values);
  const json = values.json === true;
  const log = (line: string): void => console.error(`[eval-suite] ${line}`);
  const dataDir = typeof values.data === 'string' ? values.data : defaultDataDir();
  try {
    const backend = await prepareBackend(preference, log);
    // Every case's files first, so a missing one stops the run before any training.
    const prepared: Array<[SuiteCase, PreparedCase]> = [];
    for (const c of plan.cases) prepared.push([c, await prepareSuiteCase(c, dataDir)]);
    const rows: SuiteRow[] = [];
    for (const [c, data] of prepared) {
      log(`${c.id}: ${c.title} (${data.width}x${data.height}x${data.depth}), K ${plan.ks.join(',')}, seeds ${plan.seeds.join(',')}`);
      rows.push(
        ...(await runSuiteCase(c, data, {
          ks: plan.ks,
          seeds: plan.seeds,
          steps: plan.steps,
          method: plan.method,
          settingsFor: (p) => {
            const { settings, filled } = resolveEvalSettings(backend, plan.given, Math.max(p.width, p.height), undefined);
            const note = defaultsNote(backend, filled);
            if (note !== null) log(note);
            return { ...settings, ...evalSwitchDefaults, ...plan.switches };
          },
          log,
        })),
      );
    }
    if (json) console.log(JSON.stringify({ benchmark: 'eval-suite', date: new Date().toISOString(), backend: backend.kind, device: backend.device, dataDir, rows }));
    else console.log(formatSuiteTable(rows));
    return 0;
  } catch (thrown) {
    console.error(`macl eval-suite: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  }
}
