/**
 * Parameters and events of the trainer's jobs (pre-train, fine-tune, infer)
 * as zod schemas: the trainer protocol's streams validate with them, and the
 * CLI builds the same parameter objects. Pure zod (no Node, no tfjs), so the
 * app contract can reuse them when the UI drives the jobs.
 */
import { z } from 'zod';
import { defaultFinetuneMethod, finetuneMethods } from './finetuneMethod';
import { modelRecordSchema } from '../modelRecord';

const positiveInt = z.number().int().positive();

/** An image volume: a path (DICOM folder or file, NIfTI file) or the id of a series imported into the workspace. */
export const imageRefSchema = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ seriesId: z.string().min(1) }).strict(),
]);
export type ImageRef = z.infer<typeof imageRefSchema>;

export const pretrainParamsSchema = z.object({
  workspaceDir: z.string().min(1),
  /** Archive folder to pre-train on (scanned, or its existing scan index reused). */
  archive: z.string().min(1),
  /** Registry name; a run with the same name resumes from its latest checkpoint. */
  out: z.string().min(1).max(120),
  steps: positiveInt.default(1000),
  /** Square slice size, a multiple of 64 (default: the resumed checkpoint's, else 256 on a GPU, 64 on wasm/cpu; pretrainDefaults). */
  size: positiveInt.optional(),
  /** Images per step (default 16 on a GPU, 8 on wasm/cpu). */
  batch: z.number().int().min(2).optional(),
  /** Base width f (default: the resumed checkpoint's, else 32 on a GPU, 16 on wasm/cpu). */
  width: positiveInt.optional(),
  lr: z.number().positive().default(0.01),
  seed: z.number().int().default(1),
  /** Save a checkpoint every N steps (0: only at the end). */
  checkpointEvery: z.number().int().nonnegative().default(100),
  /** Series with fewer slices (localizers) are skipped. */
  minSlices: z.number().int().min(2).default(8),
  /** Volumes held in memory at once; more are rotated in during training. */
  poolVolumes: positiveInt.default(32),
  /** Steps between rotations of the volume pool. */
  rotateEvery: positiveInt.default(50),
}).strict();
export type PretrainParams = z.input<typeof pretrainParamsSchema>;
export type PretrainSettings = z.output<typeof pretrainParamsSchema>;

export const finetuneParamsSchema = z.object({
  workspaceDir: z.string().min(1),
  image: imageRefSchema,
  /**
   * A NIfTI label map covering the image (0..K-1 labelled, -1 or 255 unlabelled) or a
   * workspace labels file; default: the workspace labels of `image.seriesId`.
   */
  labels: z.string().min(1).optional(),
  out: z.string().min(1).max(120),
  /** A registry model to start from (pre-trained: encoder + decoder 1-2; fine-tuned: all of it, warm), or 'none'. */
  init: z.string().min(1).default('none'),
  steps: positiveInt.default(200),
  size: positiveInt.default(256),
  batch: z.number().int().min(2).default(8),
  /** Base width when starting from scratch (otherwise the init model's). */
  width: positiveInt.default(32),
  /** Classes (background included); default: the largest label + 1, or the init U-Net's. */
  classes: z.number().int().min(2).max(255).optional(),
  lr: z.number().positive().default(5e-4),
  seed: z.number().int().default(1),
  checkpointEvery: z.number().int().nonnegative().default(0),
  /** 'supervised' (the strokes alone) or 'simcvd' (plus a mean teacher on the image's unlabelled slices; ml/simcvd/). */
  method: z.enum(finetuneMethods).default(defaultFinetuneMethod),
}).strict();
export type FinetuneParams = z.input<typeof finetuneParamsSchema>;
export type FinetuneSettings = z.output<typeof finetuneParamsSchema>;

export const inferParamsSchema = z.object({
  workspaceDir: z.string().min(1),
  /** A fine-tuned model's name or id. */
  model: z.string().min(1),
  image: imageRefSchema,
  /** Where to write the uint8 NIfTI label map. */
  out: z.string().min(1),
  /** Where to write the winning class's probability (float32 NIfTI), if wanted. */
  probabilities: z.string().min(1).optional(),
  batch: positiveInt.default(8),
}).strict();
export type InferParams = z.input<typeof inferParamsSchema>;
export type InferSettings = z.output<typeof inferParamsSchema>;

/** Loading data before training (volumes read, normalised, resampled). */
export const loadingEventSchema = z.object({
  type: z.literal('loading'),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string(),
});

/** One training step's figures. */
export const stepEventSchema = z.object({
  type: z.literal('progress'),
  step: z.number().int().positive(),
  totalSteps: z.number().int().positive(),
  /** Loss parts of this step (pre-training: total, global, dense, er; fine-tuning: loss). */
  losses: z.record(z.string(), z.number()),
  lr: z.number(),
  slicesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
});

export const checkpointEventSchema = z.object({
  type: z.literal('checkpoint'),
  step: z.number().int().nonnegative(),
  model: modelRecordSchema,
});

/** A note for the user (resumed from a checkpoint, series skipped, ...). */
export const noteEventSchema = z.object({ type: z.literal('note'), message: z.string() });

export const trainingDoneSchema = z.object({
  type: z.literal('done'),
  model: modelRecordSchema,
  seconds: z.number().nonnegative(),
});

export const pretrainEventSchema = z.discriminatedUnion('type', [loadingEventSchema, stepEventSchema, checkpointEventSchema, noteEventSchema, trainingDoneSchema]);
export type PretrainEvent = z.infer<typeof pretrainEventSchema>;
export const finetuneEventSchema = pretrainEventSchema;
export type FinetuneEvent = PretrainEvent;

export const inferProgressSchema = z.object({
  type: z.literal('progress'),
  slicesDone: z.number().int().nonnegative(),
  slicesTotal: z.number().int().positive(),
  slicesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
});

export const inferDoneSchema = z.object({
  type: z.literal('done'),
  modelId: z.string(),
  labelsPath: z.string(),
  probabilitiesPath: z.string().nullable(),
  /** Voxels per predicted class value. */
  classVoxels: z.record(z.string(), z.number().int().nonnegative()),
  slices: z.number().int().positive(),
  seconds: z.number().nonnegative(),
});

export const inferEventSchema = z.discriminatedUnion('type', [loadingEventSchema, inferProgressSchema, noteEventSchema, inferDoneSchema]);
export type InferEvent = z.infer<typeof inferEventSchema>;
export type InferDone = z.infer<typeof inferDoneSchema>;
