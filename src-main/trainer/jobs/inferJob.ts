/**
 * The inference job: a fine-tuned model and an image -> a uint8 NIfTI label
 * map on the image's grid (and, when asked, a float32 NIfTI of the winning
 * class's probability), written atomically. The image is normalised like in
 * training and segmented slice by slice at the model's training size.
 */
import { CancelledError } from '../../shared/cancellation';
import { niftiCompressionOf, writeNiftiFile } from '../../nifti/niftiFileWrite';
import { niftiHeaderBytes } from '../../nifti/niftiHeaderWriter';
import { writeNiftiLabelMap } from '../../nifti/niftiLabelMap';
import { segmentVolume } from '../../ml/inference';
import { unetFromArtifact } from '../../ml/serialize';
import { openModelRegistry } from '../../workspace/modelRegistry';
import { loadImageInput } from './imageInput';
import { createRateMeter, stopRequested, yieldToEventLoop, type JobContext } from './jobContext';
import { asOutOfMemory } from './jobErrors';
import { inferParamsSchema, type InferDone, type InferEvent, type InferParams } from '../../shared/contract/trainer/jobSchemas';
import { modelVolumeOf } from './resizeVolume';

/** The bytes of a Float32Array in little-endian order (the NIfTI header says little-endian). */
function float32Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Runs inference; resolves with what was written. */
export async function runInferJob(params: InferParams, ctx: JobContext<InferEvent>): Promise<InferDone> {
  const settings = inferParamsSchema.parse(params);
  const started = performance.now();
  const { emit, signal } = ctx;
  niftiCompressionOf(settings.out);
  if (settings.probabilities !== undefined) niftiCompressionOf(settings.probabilities);
  const registry = await openModelRegistry(settings.workspaceDir);
  const { record, artifact } = await registry.load(settings.model);
  if (artifact.spec.kind !== 'unet') {
    throw new Error(`"${settings.model}" is a pre-trained model (${record.id}); inference needs a fine-tuned one (macl finetune --init ${record.name} ...).`);
  }
  emit({ type: 'loading', done: 0, total: 1, message: 'reading the image' });
  const image = await loadImageInput(settings.image, settings.workspaceDir, signal);
  emit({ type: 'loading', done: 1, total: 1, message: `${image.seriesId}: ${image.volume.geometry.dimensions.join('x')}` });
  const unet = unetFromArtifact(artifact);
  const meter = createRateMeter();
  try {
    const volume = modelVolumeOf(image.volume);
    const { width, height, depth } = volume;
    const perSlice = width * height;
    const labels = new Uint8Array(perSlice * depth);
    const probability = settings.probabilities === undefined ? undefined : new Float32Array(perSlice * depth);
    // One batch of slices per segmentVolume call, with the event loop let in
    // between, so a cancel (stream or Ctrl-C) is seen at the next batch.
    for (let start = 0; start < depth; start += settings.batch) {
      await yieldToEventLoop();
      if (stopRequested(signal)) throw new CancelledError(`Inference with "${settings.model}" at slice ${start}`);
      const count = Math.min(settings.batch, depth - start);
      const batchStarted = performance.now();
      const part = await segmentVolume(unet, { data: volume.data.subarray(start * perSlice, (start + count) * perSlice), width, height, depth: count }, {
        size: record.spec.size,
        batch: settings.batch,
        probabilities: probability !== undefined,
      });
      labels.set(part.labels, start * perSlice);
      if (probability !== undefined && part.probability !== undefined) probability.set(part.probability, start * perSlice);
      const done = start + count;
      const rate = meter.add(count, performance.now() - batchStarted, Math.ceil((depth - done) / settings.batch));
      emit({ type: 'progress', slicesDone: done, slicesTotal: depth, slicesPerSecond: rate.slicesPerSecond, etaSeconds: rate.etaSeconds });
    }
    const { geometry } = image.volume;
    await writeNiftiLabelMap(settings.out, labels, geometry);
    if (settings.probabilities !== undefined && probability !== undefined) {
      const header = niftiHeaderBytes({ geometry, datatype: 16, calMin: 0, calMax: 1, description: `MACL probability of the winning class (${record.name})` });
      await writeNiftiFile(settings.probabilities, header, float32Bytes(probability));
    }
    const counts = new Map<number, number>();
    for (const value of labels) counts.set(value, (counts.get(value) ?? 0) + 1);
    const done: InferDone = {
      type: 'done',
      modelId: record.id,
      labelsPath: settings.out,
      probabilitiesPath: settings.probabilities ?? null,
      classVoxels: Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([value, n]) => [String(value), n])),
      slices: geometry.dimensions[2],
      seconds: (performance.now() - started) / 1000,
    };
    emit(done);
    return done;
  } catch (thrown) {
    if (thrown instanceof CancelledError) throw thrown;
    throw asOutOfMemory(thrown, { what: 'Inference', batch: settings.batch, size: record.spec.size });
  } finally {
    unet.dispose();
  }
}
