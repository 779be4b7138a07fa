/**
 * `macl bench-loop`: the interactive loop measured without a browser
 * (src-main/eval/loopBenchmark.ts): pen-up to first refined slice and to the
 * whole volume refined, p50/p95, and the Dice after each round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backendOf, backendOption } from './cliBackend';
import { partialSessionSettingsSchema, type PartialSessionSettings } from '../shared/contract/sessionApi';
import { runLoopBenchmark, type LoopBenchResult } from '../eval/loopBenchmark';
import { numberOption, parseArgs, stringOption } from '../services/commandLineOptions';

export const loopBenchUsage = `Usage: macl bench-loop [--backend B] [--size 256] [--slices 64] [--rounds 3,2] [--seed 1]
                       [--image PATH --truth FILE] [--settings JSON] [--json]

Progress goes to stderr (also with --json).
The interactive loop on a synthetic phantom, through the app's trainer process,
label store and session service (no browser): a scripted radiologist paints the
structures of one slice at a time (rounds 3,2: three slices, then two more); per
edit the time to the first refined slice (the painted one, in focus) and to the
whole volume refined; after each round the Dice of the shown mask per structure.
--image/--truth: a real volume (DICOM series folder or NIfTI) and its NIfTI label map
(or DICOM-SEG) on the same grid instead of the phantom, read as \`macl eval\` reads
them; every label of the truth is painted, the data cache of \`macl eval-suite\`
has some (docs/eval-protocol.md).
--settings: session settings as JSON, e.g. '{"burstSteps":40,"size":256}'
(missing ones: the trainer backend's defaults, docs/interactive-loop.md).`;

const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

/** The text report of one run. */
export function formatLoopBench(result: LoopBenchResult): string {
  const lines = [
    `benchmark: interactive loop without a browser, ${result.dimensions.join('x')} ${result.image === 'phantom' ? 'phantom' : result.image}, backend ${result.backend} (${result.device})`,
    `  settings: ${JSON.stringify(result.settings)}`,
    `  edit -> first refined slice: p50 ${ms(result.firstSliceMs.p50)}, p95 ${ms(result.firstSliceMs.p95)}`,
    `  edit -> whole volume refined: p50 ${ms(result.volumeMs.p50)}, p95 ${ms(result.volumeMs.p95)}`,
    `  edit -> loop settled (the burst's last version everywhere): p50 ${ms(result.settledMs.p50)}, p95 ${ms(result.settledMs.p95)}`,
  ];
  for (const s of result.samples) {
    lines.push(`    round ${s.round} slice ${s.k}: first slice ${ms(s.firstSliceMs)} (${s.firstSliceSource}), volume ${ms(s.volumeMs)} (model version ${s.modelVersion})`);
    for (const v of s.versions) lines.push(`      version ${v.modelVersion} (${v.source === 'forest' ? 'quick answer, pixel classifier' : 'network'}) everywhere at ${ms(v.ms)}: mean Dice ${v.meanDice.toFixed(3)}`);
    // At most 12 samples of the shown mask, evenly spread (the JSON has them all).
    const every = Math.max(1, Math.ceil(s.shown.length / 12));
    const picked = s.shown.filter((_, i) => i % every === 0 || i === s.shown.length - 1);
    if (picked.length > 0) lines.push(`      shown mask over time: ${picked.map((p) => `${(p.ms / 1000).toFixed(0)} s v${p.modelVersion}${p.source === 'forest' ? ' forest' : ''} ${p.meanDice.toFixed(3)}`).join('; ')}`);
  }
  for (const r of result.rounds) {
    lines.push(`  Dice after ${r.slicesPainted} painted slices (${r.labelledVoxels} labelled voxels): mean ${r.meanDice.toFixed(3)} (${r.dice.map((d) => `${d.name} ${d.dice.toFixed(3)}`).join(', ')})`);
  }
  return lines.join('\n');
}

function parseSettings(raw: string | undefined): PartialSessionSettings | { error: string } {
  if (raw === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: `--settings must be JSON, got ${raw}.` };
  }
  const parsed = partialSessionSettingsSchema.safeParse(json);
  return parsed.success ? parsed.data : { error: `--settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
}

/** Runs `macl bench-loop`; returns the exit code. */
export async function runLoopBenchCommand(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, {
    backend: backendOption,
    size: { kind: 'int', min: 16 },
    slices: { kind: 'int', min: 4 },
    rounds: { kind: 'string' },
    seed: { kind: 'int', min: 0 },
    settings: { kind: 'string' },
    image: { kind: 'string' },
    truth: { kind: 'string' },
    json: { kind: 'flag' },
    help: { kind: 'flag' },
  });
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${loopBenchUsage}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help === true) {
    console.log(loopBenchUsage);
    return 0;
  }
  const backend = backendOf(values);
  const rounds = (stringOption(values, 'rounds') ?? '3,2').split(',').map(Number);
  if (rounds.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--rounds must be positive integers separated by commas, e.g. 3,2.\n\n${loopBenchUsage}`);
    return 2;
  }
  const settings = parseSettings(stringOption(values, 'settings'));
  if ('error' in settings) {
    console.error(`${settings.error}\n\n${loopBenchUsage}`);
    return 2;
  }
  const image = stringOption(values, 'image');
  const truth = stringOption(values, 'truth');
  if ((image === undefined) !== (truth === undefined)) {
    console.error(`Give --image and --truth together (a real volume and its label map), or neither (the phantom).\n\n${loopBenchUsage}`);
    return 2;
  }
  const json = values.json === true;
  const dir = mkdtempSync(path.join(tmpdir(), 'macl-bench-loop-'));
  try {
    const result = await runLoopBenchmark({
      backend,
      size: numberOption(values, 'size') ?? 256,
      slices: numberOption(values, 'slices') ?? 64,
      seed: numberOption(values, 'seed') ?? 1,
      rounds,
      settings,
      ...(image === undefined || truth === undefined ? {} : { volume: { image: path.resolve(image), truth: path.resolve(truth) } }),
      dir,
      trainerPath: path.join(__dirname, 'trainer.cjs'),
      log: (line) => console.error(`[bench-loop] ${line}`),
    });
    console.log(json ? JSON.stringify({ benchmark: 'interactive-loop-headless', ...result }, null, 2) : formatLoopBench(result));
    return 0;
  } catch (thrown) {
    console.error(`macl bench-loop: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
