/**
 * Parameters to and from a tfjs weights-manifest artifact: { spec, weightSpecs,
 * data }. A workspace module writes it as model.json (artifactToModelJson) +
 * weights.bin (data) atomically; tf.io tools can read the manifest. Values are
 * copied bit for bit (float32 in, float32 out), BN running statistics included.
 * Reading uses `await data()` (through tf.io.encodeWeights), never dataSync.
 */
import * as tf from '@tensorflow/tfjs';
import { createMaclModel, type MaclModel } from './maclModel';
import type { ParamStore } from './paramStore';
import { createUNet, type UNet } from './unet';

/** The `format` of model.json files written from these artifacts. */
export const paramFormat = 'macl-params';
export const paramFormatVersion = 1;
/** Names of extra tensors (e.g. optimiser state) start with this, so they never collide with parameters. */
export const extraPrefix = 'extra/';

/** What model the parameters belong to: enough to rebuild it. */
export type ModelSpecJson =
  | { readonly kind: 'unet'; readonly version: number; readonly inChannels: number; readonly width: number; readonly classes: number }
  | { readonly kind: 'macl-pretrain'; readonly version: number; readonly inChannels: number; readonly width: number };

/** A model spec plus its weights in tfjs weights-manifest form (specs + one binary buffer). */
export interface ParamArtifact {
  readonly spec: ModelSpecJson;
  readonly weightSpecs: tf.io.WeightsManifestEntry[];
  readonly data: ArrayBuffer;
}

/** The spec stored with a U-Net checkpoint. */
export function unetSpecJson(unet: UNet): ModelSpecJson {
  return { kind: 'unet', version: paramFormatVersion, ...unet.spec };
}

/** The spec stored with a pre-training checkpoint. */
export function maclSpecJson(model: MaclModel): ModelSpecJson {
  return { kind: 'macl-pretrain', version: paramFormatVersion, ...model.spec };
}

/** Encodes every parameter and buffer of `params` (and optional extra tensors under extra/). */
export async function exportParams(params: ParamStore, spec: ModelSpecJson, extra: ReadonlyMap<string, tf.Tensor> = new Map()): Promise<ParamArtifact> {
  const named: Array<{ name: string; tensor: tf.Tensor }> = params.entries().map(([name, tensor]) => ({ name, tensor }));
  for (const [name, tensor] of extra) named.push({ name: `${extraPrefix}${name}`, tensor });
  const { data, specs } = await tf.io.encodeWeights(named);
  return { spec, weightSpecs: specs, data };
}

/** Decodes the artifact into tensors by name (the caller disposes them). */
export function decodeParams(artifact: ParamArtifact): Map<string, tf.Tensor> {
  const decoded = tf.io.decodeWeights(artifact.data, artifact.weightSpecs);
  return new Map(Object.entries(decoded));
}

/**
 * Assigns every parameter of `params` from the artifact. Strict: a missing
 * name, an unknown parameter name or a shape mismatch throws before anything
 * is assigned. Returns the extra tensors (names without the prefix) for the
 * caller to use and dispose.
 */
export function loadParams(params: ParamStore, artifact: ParamArtifact): Map<string, tf.Tensor> {
  const decoded = decodeParams(artifact);
  const extra = new Map<string, tf.Tensor>();
  try {
    const problems: string[] = [];
    for (const [name, variable] of params.entries()) {
      const value = decoded.get(name);
      if (value === undefined) problems.push(`"${name}" is missing`);
      else if (value.shape.join() !== variable.shape.join()) problems.push(`"${name}" is [${value.shape.join(', ')}], the model has [${variable.shape.join(', ')}]`);
    }
    for (const name of decoded.keys()) {
      if (!name.startsWith(extraPrefix) && !params.has(name)) problems.push(`"${name}" is not a parameter of this model`);
    }
    if (problems.length > 0) throw new Error(`loadParams: the checkpoint does not fit the model (${artifact.spec.kind}): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`);
    for (const [name, variable] of params.entries()) {
      const value = decoded.get(name);
      if (value !== undefined) variable.assign(value);
    }
    for (const [name, value] of decoded) if (name.startsWith(extraPrefix)) extra.set(name.slice(extraPrefix.length), value);
  } finally {
    for (const [name, value] of decoded) if (!name.startsWith(extraPrefix) || extra.get(name.slice(extraPrefix.length)) !== value) value.dispose();
  }
  return extra;
}

/** Rebuilds a U-Net from an artifact of kind 'unet'. */
export function unetFromArtifact(artifact: ParamArtifact): UNet {
  const { spec } = artifact;
  if (spec.kind !== 'unet') throw new Error(`unetFromArtifact: the checkpoint holds a ${spec.kind} model, not a U-Net.`);
  const unet = createUNet({ classes: spec.classes, inChannels: spec.inChannels, width: spec.width });
  try {
    tf.dispose([...loadParams(unet.params, artifact).values()]);
  } catch (thrown) {
    unet.dispose();
    throw thrown;
  }
  return unet;
}

/** Whether a pre-training artifact was made with batch norm in its instance projectors (models saved before that option have none). */
export function hasProjectorNorm(artifact: ParamArtifact): boolean {
  return artifact.weightSpecs.some((entry) => entry.name === 'auxIns.bn1.gamma');
}

/** Rebuilds the pre-training module from an artifact of kind 'macl-pretrain'. */
export function maclModelFromArtifact(artifact: ParamArtifact): MaclModel {
  const { spec } = artifact;
  if (spec.kind !== 'macl-pretrain') throw new Error(`maclModelFromArtifact: the checkpoint holds a ${spec.kind} model, not a MACL pre-training module.`);
  const model = createMaclModel({ inChannels: spec.inChannels, width: spec.width, projectorNorm: hasProjectorNorm(artifact) });
  try {
    tf.dispose([...loadParams(model.params, artifact).values()]);
  } catch (thrown) {
    model.dispose();
    throw thrown;
  }
  return model;
}

/** The model.json for an artifact whose data is written to `weightsPath`. */
export function artifactToModelJson(artifact: ParamArtifact, weightsPath = 'weights.bin'): tf.io.ModelJSON {
  return {
    format: paramFormat,
    generatedBy: `MACL Workstation ${paramFormat}/${artifact.spec.version}`,
    modelTopology: { ...artifact.spec },
    weightsManifest: [{ paths: [weightsPath], weights: artifact.weightSpecs }],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSpec(value: unknown): ModelSpecJson {
  if (!isRecord(value)) throw new Error('model.json: modelTopology is not an object.');
  const { kind, version, inChannels, width, classes } = value;
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (!int(version) || version > paramFormatVersion) throw new Error(`model.json: unsupported ${paramFormat} version ${String(version)}.`);
  if (!int(inChannels) || !int(width)) throw new Error('model.json: inChannels and width must be positive integers.');
  if (kind === 'unet') {
    if (!int(classes)) throw new Error('model.json: a U-Net needs a positive integer classes.');
    return { kind, version, inChannels, width, classes };
  }
  if (kind === 'macl-pretrain') return { kind, version, inChannels, width };
  throw new Error(`model.json: unknown model kind ${String(kind)}.`);
}

/** Parses a model.json written by artifactToModelJson back into an artifact with `data` (the weights file's bytes). */
export function artifactFromModelJson(json: unknown, data: ArrayBuffer): ParamArtifact {
  if (!isRecord(json) || json.format !== paramFormat) throw new Error(`model.json: not a ${paramFormat} file.`);
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isRecord(manifest[0]) || !Array.isArray(manifest[0].weights)) {
    throw new Error('model.json: expected one weights group.');
  }
  const weightSpecs = (manifest[0].weights as unknown[]).map((entry, i): tf.io.WeightsManifestEntry => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)
      || (entry.dtype !== 'float32' && entry.dtype !== 'int32')) {
      throw new Error(`model.json: weight ${i} is malformed.`);
    }
    return { name: entry.name, shape: entry.shape as number[], dtype: entry.dtype };
  });
  const bytes = weightSpecs.reduce((sum, s) => sum + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes !== data.byteLength) throw new Error(`model.json: the manifest describes ${bytes} bytes of weights, the weights file has ${data.byteLength}.`);
  return { spec: parseSpec(json.modelTopology), weightSpecs, data };
}
