/**
 * What the model registry stores beside each model's weights (record.json):
 * where the model came from (parent, data), how far it was trained (steps,
 * final losses, backend) and what it is (spec). Written last and atomically,
 * so a folder without a valid record is never listed as a model.
 */
import { z } from 'zod';

export const modelKinds = ['pretrained', 'finetuned'] as const;
export const modelKindSchema = z.enum(modelKinds);
/** 'pretrained': a MACL pre-training module; 'finetuned': a segmentation U-Net. */
export type ModelKind = z.infer<typeof modelKindSchema>;

/** One series a model was trained on; labelled voxels only for fine-tuning. */
export const modelDataSeriesSchema = z.object({
  /** Workspace series id, or the path the volume was read from. */
  seriesId: z.string(),
  path: z.string().nullable(),
  slices: z.number().int().nonnegative(),
  /** Labelled voxels per class value ("0" background, "1"...), fine-tuning only. */
  labelledVoxels: z.record(z.string(), z.number().int().nonnegative()).optional(),
});
export type ModelDataSeries = z.infer<typeof modelDataSeriesSchema>;

export const modelDataSchema = z.object({
  /** The archive folder a pre-training read, or null. */
  archiveRoot: z.string().nullable(),
  /** The label file a fine-tuning read, or null. */
  labelsPath: z.string().nullable(),
  /** Series used (for a large archive: the first 200, see `seriesCount`). */
  series: z.array(modelDataSeriesSchema),
  seriesCount: z.number().int().nonnegative(),
});
export type ModelData = z.infer<typeof modelDataSchema>;

export const modelSpecSchema = z.object({
  inChannels: z.number().int().positive(),
  width: z.number().int().positive(),
  /** Output classes of a fine-tuned U-Net; null for a pre-training module. */
  classes: z.number().int().min(2).nullable(),
  /** Square slice size the model was trained at. */
  size: z.number().int().positive(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

/** Everything the caller of save() says about a model; the registry adds id, version and created. */
export const modelMetaSchema = z.object({
  name: z.string().min(1).max(120),
  kind: modelKindSchema,
  parentId: z.string().nullable(),
  spec: modelSpecSchema,
  /** Optimiser steps applied so far. */
  steps: z.number().int().nonnegative(),
  /** Length of the run's schedule; steps < totalSteps marks an intermediate checkpoint. */
  totalSteps: z.number().int().positive(),
  /** Loss parts of the last step (e.g. total, global, dense, er; or loss). */
  losses: z.record(z.string(), z.number()),
  /** Compute backend and device it was trained on. */
  backend: z.string(),
  device: z.string(),
  data: modelDataSchema,
  /** Whether weights.bin also holds the optimiser state (extra/ tensors), so training can continue warm. */
  optimizerState: z.boolean(),
  /** Settings of the run (batch, lr, seed, ...), for the record. */
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

export const modelRecordSchema = modelMetaSchema.extend({
  format: z.literal('macl-model-record'),
  formatVersion: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  /** 1 for the first model saved under this name, then 2, 3, ... */
  version: z.number().int().positive(),
  /** ISO time of the save. */
  created: z.string(),
  /** Bytes of weights.bin. */
  weightBytes: z.number().int().nonnegative(),
});
export type ModelRecord = z.infer<typeof modelRecordSchema>;

/** True when the record is an intermediate checkpoint of an unfinished run. */
export function isIntermediate(record: Pick<ModelRecord, 'steps' | 'totalSteps'>): boolean {
  return record.steps < record.totalSteps;
}
