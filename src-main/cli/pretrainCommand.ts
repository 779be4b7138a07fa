/**
 * `macl pretrain --archive DIR --out NAME [...]`: MACL pre-training on an
 * unlabelled archive, in this process, into the workspace's model registry.
 * Resumable: the same command continues from the newest checkpoint of NAME.
 */
import { runPretrainJob } from '../trainer/jobs/pretrainJob';
import { pretrainParamsSchema, type PretrainEvent, type PretrainParams } from '../shared/contract/trainer/jobSchemas';
import type { ModelRecord } from '../shared/contract/modelRecord';
import { givenNumbers, stringOption } from '../services/commandLineOptions';
import { commonJobUsage, runJobCommand, type JobCommandDeps } from './jobCommand';
import { trainingEventLine, trainingProgressLine, trainingSummary } from './trainingEventText';

export const pretrainUsage = `Usage: macl pretrain --archive DIR --out NAME [options]

MACL pre-training on the DICOM series under DIR (scanned once; the scan index
is reused). Saves checkpoints into the workspace's model registry; run the
same command again to resume from the newest checkpoint of NAME.

  --archive DIR           the unlabelled archive folder
  --out NAME              the model name in the registry
  --steps N               total steps (default 1000)
  --size S                slice size, a multiple of 64 (default 256; 64 on WASM)
  --batch B               slices per step, at least 2 (default 16; 8 on WASM)
  --width F               base width of the U-Net (default 32; 16 on WASM)
  --lr X                  initial learning rate (default 0.01, cosine to 0)
  --seed N                random seed (default 1)
  --checkpoint-every N    steps between checkpoints (default 100; 0: only at the end)
  --pool N                volumes held in memory at once (default 32)
  --min-slices N          skip series with fewer slices (default 8)
${commonJobUsage}`;

/** Runs `macl pretrain` with the arguments after the command name; returns the exit code. */
export function runPretrainCommand(args: readonly string[], deps: JobCommandDeps = {}): Promise<number> {
  return runJobCommand<PretrainParams, PretrainEvent, ModelRecord>(
    args,
    {
      usage: pretrainUsage,
      options: {
        archive: { kind: 'string' },
        out: { kind: 'string' },
        steps: { kind: 'int', min: 1 },
        size: { kind: 'int', min: 64 },
        batch: { kind: 'int', min: 2 },
        width: { kind: 'int', min: 1 },
        lr: { kind: 'number' },
        seed: { kind: 'int' },
        'checkpoint-every': { kind: 'int', min: 0 },
        pool: { kind: 'int', min: 1 },
        'min-slices': { kind: 'int', min: 2 },
      },
      schema: pretrainParamsSchema,
      build(values, positionals, workspaceDir) {
        if (positionals.length > 0) return `Unexpected argument "${positionals[0] ?? ''}".`;
        const archive = stringOption(values, 'archive');
        const out = stringOption(values, 'out');
        if (archive === undefined) return 'Give the archive folder: --archive DIR.';
        if (out === undefined) return 'Give the model name: --out NAME.';
        const numbers = givenNumbers(values, { steps: 'steps', size: 'size', batch: 'batch', width: 'width', lr: 'lr', seed: 'seed', 'checkpoint-every': 'checkpointEvery', pool: 'poolVolumes', 'min-slices': 'minSlices' });
        return { workspaceDir, archive, out, ...numbers };
      },
      run: runPretrainJob,
      progressLine: trainingProgressLine,
      eventLine: trainingEventLine,
      summary: (record) => trainingSummary(record),
    },
    deps,
  );
}
