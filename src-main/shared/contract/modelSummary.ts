/** The registry's models as the model picker shows them (the `models.list` call of sessionApi.ts). */
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** A registry model as the picker shows it. */
export const modelSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** 1, 2, ... per name. */
  version: positiveInt,
  /** 'pretrained': a MACL pre-training checkpoint (an init only); 'finetuned': a segmentation U-Net. */
  kind: z.enum(['pretrained', 'finetuned']),
  /** ISO time of the save. */
  created: z.string(),
  steps: nonNegativeInt,
  totalSteps: positiveInt,
  /** True for a checkpoint of a run that has not finished (steps < totalSteps). */
  intermediate: z.boolean(),
  width: positiveInt,
  /** Classes of a fine-tuned U-Net (background included); null for a pre-trained model. */
  classes: z.number().int().min(2).nullable(),
  /** Slice size it was trained at. */
  size: positiveInt,
  backend: z.string(),
  device: z.string(),
  parentId: z.string().nullable(),
  /** Loss parts of its last step. */
  losses: z.record(z.string(), z.number()),
  /** Series it was trained on (a pre-training: the archive's first few). */
  seriesIds: z.array(z.string()),
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const modelListSchema = z.object({
  /** Newest first. */
  models: z.array(modelSummarySchema),
  /** What init 'default' resolves to now; null: scratch (no complete pre-trained model). */
  defaultInit: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Registry folders that could not be read (listed for the record, never fatal). */
  problems: z.array(z.string()),
});
export type ModelList = z.infer<typeof modelListSchema>;
