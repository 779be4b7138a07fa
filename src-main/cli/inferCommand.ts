/**
 * `macl infer --model NAME --image PATH|SERIES --out FILE.nii [--probabilities FILE.nii]`:
 * segments every slice of an image with a fine-tuned model, in this process,
 * and writes a uint8 NIfTI label map on the image's grid.
 */
import path from 'node:path';
import { runInferJob } from '../trainer/jobs/inferJob';
import { inferParamsSchema, type InferDone, type InferEvent, type InferParams } from '../shared/contract/trainer/jobSchemas';
import { openModelRegistry } from '../workspace/modelRegistry';
import { defaultsNote, fittingInferBatch, trainingDefaults } from './backendDefaults';
import { givenNumbers, stringOption } from '../services/commandLineOptions';
import { imageRefOf } from './finetuneCommand';
import { commonJobUsage, runJobCommand, type JobCommandDeps } from './jobCommand';
import { formatDuration } from './jobProgress';

export const inferUsage = `Usage: macl infer --model NAME --image PATH|SERIES_ID --out FILE.nii [options]

Segments every slice of the image with a fine-tuned model from the registry
and writes the label map (uint8 NIfTI on the image's grid; .nii.gz compresses).

  --model NAME|ID         a fine-tuned model (the newest version of NAME, or an id)
  --image PATH|ID         a DICOM series folder or file, a NIfTI file, or an imported series id
  --out FILE              the label map to write (.nii or .nii.gz)
  --probabilities FILE    also write the winning class's probability (float32 NIfTI)
  --batch B               slices per forward pass (default: the interactive session's for the
                          backend, 8 on wasm/cpu and 16 on a GPU, halved until a pass fits the
                          backend's memory; a given batch that cannot fit is refused first)
${commonJobUsage}`;

function progressLine(event: InferEvent): string | null {
  if (event.type === 'progress') {
    const eta = event.etaSeconds === null ? '' : `  ETA ${formatDuration(event.etaSeconds)}`;
    return `slices ${event.slicesDone}/${event.slicesTotal}  ${event.slicesPerSecond.toFixed(1)} slices/s${eta}`;
  }
  if (event.type === 'loading') return `loading: ${event.message}`;
  return null;
}

/** The closing lines of `macl infer`. */
export function inferSummary(done: InferDone): string {
  const counts = Object.entries(done.classVoxels).map(([k, v]) => `${k}: ${v}`).join(', ');
  const lines = [`Wrote ${done.labelsPath} (${done.slices} slices, model ${done.modelId}, ${formatDuration(done.seconds)})`, `  voxels per class: ${counts}`];
  if (done.probabilitiesPath !== null) lines.push(`Wrote ${done.probabilitiesPath}`);
  return lines.join('\n');
}

/** Runs `macl infer` with the arguments after the command name; returns the exit code. */
export function runInferCommand(args: readonly string[], deps: JobCommandDeps = {}): Promise<number> {
  return runJobCommand<InferParams, InferEvent, InferDone>(
    args,
    {
      usage: inferUsage,
      options: { model: { kind: 'string' }, image: { kind: 'string' }, out: { kind: 'string' }, probabilities: { kind: 'string' }, batch: { kind: 'int', min: 1 } },
      schema: inferParamsSchema,
      build(values, workspaceDir) {
        const model = stringOption(values, 'model');
        const image = stringOption(values, 'image');
        const out = stringOption(values, 'out');
        const probabilities = stringOption(values, 'probabilities');
        if (model === undefined) return 'Give the model: --model NAME.';
        if (image === undefined) return 'Give the image: --image PATH or --image SERIES_ID.';
        if (out === undefined) return 'Give the output file: --out FILE.nii.';
        for (const file of [out, probabilities]) if (file !== undefined && !/\.nii(\.gz)?$/i.test(file)) return `${file}: the output must end in .nii or .nii.gz.`;
        return {
          workspaceDir,
          model,
          image: imageRefOf(image),
          out: path.resolve(out),
          ...(probabilities === undefined ? {} : { probabilities: path.resolve(probabilities) }),
          ...givenNumbers(values, { batch: 'batch' }),
        };
      },
      async resolve(params, backend) {
        const record = await (await openModelRegistry(params.workspaceDir)).find(params.model);
        const wanted = params.batch ?? trainingDefaults(backend).inferBatch;
        const batch = fittingInferBatch(backend, { size: record.spec.size, width: record.spec.width }, wanted, params.batch !== undefined, 'Inference with these settings');
        return { params: { ...params, batch }, note: params.batch === undefined ? defaultsNote(backend, { batch }) : null };
      },
      run: runInferJob,
      progressLine,
      eventLine: (event) => (event.type === 'note' ? event.message : null),
      summary: inferSummary,
    },
    deps,
  );
}
