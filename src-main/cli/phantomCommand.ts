/**
 * `macl phantom --out DIR [--size 64 --slices 32 --seed S --count N] [--json]`:
 * writes synthetic evaluation volumes (src-main/eval/phantom.ts) as NIfTI:
 * DIR/images (an unlabelled archive for `macl pretrain`) and DIR/truth (the
 * label maps `macl eval --truth` takes), plus DIR/phantoms.json.
 */
import path from 'node:path';
import { writePhantomSet } from '../eval/phantomFiles';
import { numberOption, parseArgs, stringOption } from '../services/commandLineOptions';

export const phantomUsage = `Usage: macl phantom --out DIR [--size 64] [--slices 32] [--seed 1] [--count 1] [--json]

Writes synthetic volumes with three labelled structures (docs/eval-protocol.md):
DIR/images/phantom-SEED.nii.gz and DIR/truth/phantom-SEED.nii.gz, seeds SEED..SEED+COUNT-1.`;

/** Runs `macl phantom`; returns the exit code. */
export async function runPhantomCommand(args: readonly string[]): Promise<number> {
  const parsed = parseArgs(args, {
    out: { kind: 'string' },
    size: { kind: 'int', min: 16 },
    slices: { kind: 'int', min: 4 },
    seed: { kind: 'int', min: 0 },
    count: { kind: 'int', min: 1 },
    noise: { kind: 'number', min: 0 },
    json: { kind: 'flag' },
    help: { kind: 'flag' },
  });
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${phantomUsage}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help === true) {
    console.log(phantomUsage);
    return 0;
  }
  const out = stringOption(values, 'out');
  if (out === undefined) {
    console.error(`Give the output folder: --out DIR.\n\n${phantomUsage}`);
    return 2;
  }
  try {
    const noise = numberOption(values, 'noise');
    const written = await writePhantomSet(path.resolve(out), {
      size: numberOption(values, 'size') ?? 64,
      slices: numberOption(values, 'slices') ?? 32,
      seed: numberOption(values, 'seed') ?? 1,
      count: numberOption(values, 'count') ?? 1,
      ...(noise === undefined ? {} : { noise }),
    });
    if (values.json === true) console.log(JSON.stringify(written));
    else for (const w of written) console.log(`${w.image}\n${w.truth}\n  ${w.structures.map((s) => `${s.label} ${s.name} slices ${s.slices[0]}-${s.slices[1]}`).join('; ')}`);
    return 0;
  } catch (thrown) {
    console.error(`macl phantom: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    return 1;
  }
}
