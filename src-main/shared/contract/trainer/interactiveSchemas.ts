/**
 * The trainer protocol's interactive session (docs/interactive-loop.md): one stream per
 * session that holds the series' image, its label layers and a U-Net in the
 * trainer process, plus calls addressed to a live session by id (label
 * deltas, focus, pause/resume/cancel/reset/save). Pure zod, shared by the
 * trainer entry and the app's session service.
 */
import { z } from 'zod';
import { bytesSchema } from '../bytes';
import { initPretrainingSchema, modelSourceSchema, sessionSettingsSchema } from '../sessionApi';

const nonNegativeInt = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

export const interactiveParamsSchema = z
  .object({
    sessionId: z.string().min(1).max(128),
    workspaceDir: z.string().min(1),
    /** A series imported into the workspace. */
    seriesId: z.string().min(1),
    /** Registry id or name of the init model, or 'none' (scratch). */
    init: z.string().min(1),
    /**
     * A checkpoint of this session (a fine-tuned model saved by it) to
     * continue from instead of `init`, e.g. after the trainer restarted.
     */
    resumeFrom: z.string().min(1).nullable().default(null),
    /** Registry name the session saves its model under. */
    out: z.string().min(1).max(120),
    settings: sessionSettingsSchema,
    /** The first model version this stream hands out (versions continue across trainer restarts). */
    firstVersion: positiveInt.default(1),
    /** Save the model at the end of a burst when the last save is older than this (0: only on 'save'). */
    saveEverySeconds: z.number().nonnegative().default(60),
    /**
     * While the pixel classifier's quick answer is on screen, the share of every
     * class's strokes a network version must get right to replace it (trainer/jobs/interactiveSession.ts, newVersion).
     */
    forestReplaceShare: z.number().min(0).max(1).default(0.75),
  })
  .strict();
export type InteractiveParams = z.input<typeof interactiveParamsSchema>;
export type InteractiveSettings = z.output<typeof interactiveParamsSchema>;

/** Label changes for a live session: label runs in bytes (runsToBytes) over the series' sorted grid (changed voxels with their new values). */
export const interactiveLabelsParamsSchema = z
  .object({
    sessionId: z.string().min(1).max(128),
    /** True: the layers start from empty before these runs apply (the first message, or a resend after a restart). */
    full: z.boolean(),
    strokes: bytesSchema.optional(),
    accepted: bytesSchema.optional(),
  })
  .strict();
export type InteractiveLabelsParams = z.infer<typeof interactiveLabelsParamsSchema>;

export const interactiveControlSchema = z.enum(['pause', 'resume', 'cancel', 'reset', 'save']);
export type InteractiveControl = z.infer<typeof interactiveControlSchema>;

/** What a live session reports back from a call. */
export const interactiveStateSchema = z.object({
  phase: z.enum(['loading', 'idle', 'training', 'inferring', 'paused']),
  step: nonNegativeInt,
  /** The newest model version handed out (firstVersion - 1 before the first). */
  modelVersion: nonNegativeInt,
  /** The model saved by 'save' (or the last periodic save), if any. */
  savedModelId: z.string().nullable(),
});
export type InteractiveState = z.infer<typeof interactiveStateSchema>;

const initInfoSchema = z.object({
  kind: z.enum(['pretrained', 'finetuned', 'none']),
  modelId: z.string().nullable(),
  name: z.string(),
  message: z.string(),
  pretraining: initPretrainingSchema.optional(),
});

export const interactiveEventSchema = z.discriminatedUnion('type', [
  /** Loaded: the image, the model it starts from. */
  z.object({
    type: z.literal('ready'),
    init: initInfoSchema,
    dimensions: z.tuple([positiveInt, positiveInt, positiveInt]),
    classes: z.number().int().min(2),
    step: nonNegativeInt,
  }),
  z.object({ type: z.literal('phase'), phase: interactiveStateSchema.shape.phase }),
  /** One training step. */
  z.object({
    type: z.literal('step'),
    step: positiveInt,
    burstStep: positiveInt,
    burstSteps: positiveInt,
    loss: z.number(),
    stepsPerSecond: z.number().nonnegative(),
  }),
  /**
   * A new model version, inferred next: the network's (a burst ended or reached its cadence, or the
   * session started from a fine-tuned model) or the pixel classifier's quick answer ('forest').
   */
  z.object({ type: z.literal('model'), modelVersion: positiveInt, step: nonNegativeInt, source: modelSourceSchema.optional() }),
  /** One inferred slice; runs as in the app contract's session slice event. */
  z.object({
    type: z.literal('slice'),
    modelVersion: positiveInt,
    k: nonNegativeInt,
    runs: bytesSchema,
    labels: z.array(z.number().int().min(1).max(254)),
    slicesDone: nonNegativeInt,
    slicesTotal: positiveInt,
    /** What made this slice's version (absent: the network). */
    source: modelSourceSchema.optional(),
  }),
  z.object({ type: z.literal('volumeDone'), modelVersion: positiveInt, slices: positiveInt, seconds: z.number().nonnegative() }),
  z.object({ type: z.literal('checkpoint'), modelId: z.string(), step: nonNegativeInt, modelVersion: nonNegativeInt }),
  /** A sentence for the user (classes grew, a checkpoint could not be saved, ...). */
  z.object({ type: z.literal('note'), message: z.string() }),
]);
export type InteractiveEvent = z.infer<typeof interactiveEventSchema>;

const bySession = { sessionId: z.string().min(1).max(128) };

/** The calls a live session answers (spread into the trainer contract). */
export const interactiveCalls = {
  /** Applies label changes; the session trains on them next (pre-empting inference of the current version). */
  'interactive.labels': { params: interactiveLabelsParamsSchema, result: interactiveStateSchema },
  /** The slice on screen: inference goes there first, then outward. */
  'interactive.focus': { params: z.object({ ...bySession, k: nonNegativeInt }).strict(), result: interactiveStateSchema },
  /**
   * pause/resume; cancel: stop the current burst/inference and go idle (answers
   * once stopped: no event of the stopped work follows the answer); reset:
   * back to the init model; save: write the model to the registry now.
   */
  'interactive.control': { params: z.object({ ...bySession, action: interactiveControlSchema }).strict(), result: interactiveStateSchema },
} as const;
