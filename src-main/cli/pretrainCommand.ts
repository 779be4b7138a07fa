/**
 * `macl pretrain --archive DIR --out NAME [...]`: MACL pre-training on an
 * unlabelled archive, in this process, into the workspace's model registry.
 * Resumable: the same command continues from the newest checkpoint of NAME.
 */
import { runPretrainJob } from '../trainer/jobs/pretrainJob';
import { pretrainParamsSchema, type PretrainEvent, type PretrainParams } from '../shared/contract/trainer/jobSchemas';
import type { ModelRecord } from '../shared/contract/modelRecord';
import { givenNumbers, stringOption } from '../services/commandLineOptions';
import { pacsArchiveParams } from './pacsArchiveOptions';
import { commonJobUsage, runJobCommand, type JobCommandDeps } from './jobCommand';
import { trainingEventLine, trainingProgressLine, trainingSummary } from './trainingEventText';

export const pretrainUsage = `Usage: macl pretrain (--archive DIR | --pacs NAME --query Q) --out NAME [options]

MACL pre-training on the DICOM series under DIR (scanned once; the scan index
is reused), or on the series a PACS query finds (headers first, pixels
fetched as needed into the workspace's pacs-archive-cache/). Saves
checkpoints into the workspace's model registry; run the same command again
to resume from the newest checkpoint of NAME.

  --archive DIR           the unlabelled archive folder
  --pacs NAME             a PACS connection saved in the workspace, instead of --archive
  --query Q               the series to use, e.g. 'modality=MR&from=2001-01-01&to=2001-12-31&description=*AX*'
                          (keys: modality, from, to, description; * and ? are wildcards)
  --cache-mb N            bound of the PACS archive's pixel cache in MB (default 2048)
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
        pacs: { kind: 'string' },
        query: { kind: 'string' },
        'cache-mb': { kind: 'int', min: 1 },
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
      async build(values, workspaceDir) {
        const archive = stringOption(values, 'archive');
        const connection = stringOption(values, 'pacs');
        const query = stringOption(values, 'query');
        const out = stringOption(values, 'out');
        if (archive !== undefined && connection !== undefined) return 'Give one archive: --archive DIR or --pacs NAME, not both.';
        if (archive === undefined && connection === undefined) return 'Give the archive: --archive DIR, or --pacs NAME --query Q.';
        if (connection !== undefined && query === undefined) return 'Give the series to use with --pacs: --query Q (e.g. modality=MR).';
        if (connection === undefined && (query !== undefined || values['cache-mb'] !== undefined)) return '--query and --cache-mb go with --pacs NAME.';
        if (out === undefined) return 'Give the model name: --out NAME.';
        const numbers = givenNumbers(values, { steps: 'steps', size: 'size', batch: 'batch', width: 'width', lr: 'lr', seed: 'seed', 'checkpoint-every': 'checkpointEvery', pool: 'poolVolumes', 'min-slices': 'minSlices' });
        if (connection === undefined) return { workspaceDir, archive, out, ...numbers };
        const cacheMb = values['cache-mb'];
        const pacs = await pacsArchiveParams(workspaceDir, connection, query ?? '', typeof cacheMb === 'number' ? cacheMb : undefined);
        return typeof pacs === 'string' ? pacs : { workspaceDir, pacs, out, ...numbers };
      },
      run: runPretrainJob,
      progressLine: trainingProgressLine,
      eventLine: trainingEventLine,
      summary: (record) => trainingSummary(record),
    },
    deps,
  );
}
