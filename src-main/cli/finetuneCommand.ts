/**
 * `macl finetune --image PATH|SERIES --out NAME [--labels FILE] [--init NAME|none] [...]`:
 * fine-tunes a U-Net on the labelled voxels of one image, in this process,
 * and saves it into the workspace's model registry.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runFinetuneJob } from '../trainer/jobs/finetuneJob';
import { finetuneParamsSchema, type FinetuneEvent, type FinetuneParams, type ImageRef } from '../shared/contract/trainer/jobSchemas';
import type { ModelRecord } from '../shared/contract/modelRecord';
import type { JobBackend } from '../trainer/jobs/jobContext';
import { defaultsNote, trainingDefaults } from './backendDefaults';
import { finetuneMethods, parseFinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import { givenNumbers, stringOption } from '../services/commandLineOptions';
import { commonJobUsage, runJobCommand, type JobCommandDeps } from './jobCommand';
import { trainingEventLine, trainingProgressLine, trainingSummary } from './trainingEventText';

export const finetuneUsage = `Usage: macl finetune --image PATH|SERIES_ID --out NAME [--labels FILE] [options]

Fine-tunes a segmentation U-Net on the labelled voxels of one image (only
labelled voxels carry loss) and saves it into the workspace's model registry.

  --image PATH|ID         a DICOM series folder or file, a NIfTI file, or an imported series id
  --labels FILE           a NIfTI label map on the image (0..K-1 labelled; -1 or 255 unlabelled)
                          or a .macl-labels file (default: the workspace labels of the series id)
  --out NAME              the model name in the registry
  --init NAME|none        start from a registry model: pre-trained (encoder and decoder 1-2)
                          or fine-tuned (all of it, continued warm); default none
  --method M              supervised (the strokes alone, default) or simcvd (plus a mean teacher
                          on the image's unlabelled slices; docs/ml-notes.md)
  --steps N               steps (default 200)
  --size S                slice size, a multiple of 16
  --batch B               slices per step, at least 2
  --width F               base width when --init none
  --classes K             classes including background (default: largest label + 1)
  --lr X                  Adam learning rate (cosine to 1% of it)
                          (size, batch, width, lr default to the interactive session's for the
                          backend: on wasm/cpu 64, 4, 16, 5e-3; on a GPU 256, 8, 32, 5e-3. Settings
                          whose training step cannot fit the backend's memory are refused first.)
  --seed N                random seed (default 1)
  --checkpoint-every N    steps between checkpoints (default 0: only at the end)
${commonJobUsage}`;

/** A path when it exists (or looks like one), else a workspace series id. */
export function imageRefOf(value: string): ImageRef {
  const looksLikePath = existsSync(value) || value.includes(path.sep) || value.includes('/') || /\.nii(\.gz)?$/i.test(value);
  return looksLikePath && !value.startsWith('nifti:') ? { path: path.resolve(value) } : { seriesId: value };
}

/** The session's settings for the backend where the user gave none (an init model brings its own width). */
export function finetuneDefaults(params: FinetuneParams, backend: JobBackend): { params: FinetuneParams; note: string | null } {
  const defaults = trainingDefaults(backend);
  const filled: Record<string, number> = {};
  const pick = (name: 'size' | 'batch' | 'width' | 'lr'): number => {
    const value = params[name];
    if (value !== undefined) return value;
    filled[name] = defaults[name];
    return defaults[name];
  };
  const fromScratch = params.init === undefined || params.init === 'none';
  const resolved = { ...params, size: pick('size'), batch: pick('batch'), lr: pick('lr'), ...(fromScratch ? { width: pick('width') } : {}) };
  return { params: resolved, note: defaultsNote(backend, filled) };
}

/** Runs `macl finetune` with the arguments after the command name; returns the exit code. */
export function runFinetuneCommand(args: readonly string[], deps: JobCommandDeps = {}): Promise<number> {
  return runJobCommand<FinetuneParams, FinetuneEvent, ModelRecord>(
    args,
    {
      usage: finetuneUsage,
      options: {
        image: { kind: 'string' },
        labels: { kind: 'string' },
        out: { kind: 'string' },
        init: { kind: 'string' },
        method: { kind: 'choice', choices: finetuneMethods },
        steps: { kind: 'int', min: 1 },
        size: { kind: 'int', min: 16 },
        batch: { kind: 'int', min: 2 },
        width: { kind: 'int', min: 1 },
        classes: { kind: 'int', min: 2 },
        lr: { kind: 'number' },
        seed: { kind: 'int' },
        'checkpoint-every': { kind: 'int', min: 0 },
      },
      schema: finetuneParamsSchema,
      build(values, workspaceDir) {
        const image = stringOption(values, 'image');
        const out = stringOption(values, 'out');
        const labels = stringOption(values, 'labels');
        const init = stringOption(values, 'init');
        const methodName = stringOption(values, 'method');
        const method = methodName === undefined ? undefined : (parseFinetuneMethod(methodName) ?? undefined);
        if (image === undefined) return 'Give the image: --image PATH or --image SERIES_ID.';
        if (out === undefined) return 'Give the model name: --out NAME.';
        const ref = imageRefOf(image);
        if (labels === undefined && 'path' in ref) return 'Give the labels of that image: --labels FILE (a NIfTI label map or a .macl-labels file).';
        const numbers = givenNumbers(values, { steps: 'steps', size: 'size', batch: 'batch', width: 'width', classes: 'classes', lr: 'lr', seed: 'seed', 'checkpoint-every': 'checkpointEvery' });
        return {
          workspaceDir,
          image: ref,
          out,
          ...(labels === undefined ? {} : { labels: path.resolve(labels) }),
          ...(init === undefined ? {} : { init }),
          ...(method === undefined ? {} : { method }),
          ...numbers,
        };
      },
      resolve: (params, backend) => Promise.resolve(finetuneDefaults(params, backend)),
      run: runFinetuneJob,
      progressLine: trainingProgressLine,
      eventLine: trainingEventLine,
      summary: (record) => trainingSummary(record),
    },
    deps,
  );
}
