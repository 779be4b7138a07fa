/**
 * The app contract's interactive-loop section (docs/interactive-loop.md): a fine-tuning
 * session on the open series that learns from each applied label edit and
 * streams refined slices back; the model picker (modelSummary.ts); long
 * background jobs (pre-training on an archive, pretrainJob.ts) that survive
 * an app restart (their records: jobRecord.ts).
 *
 * Model classes are the segment labels themselves: class 0 is background,
 * class L is the segment with label L (1..254). A predicted slice therefore
 * holds segment labels directly (0 = none), ready for the prediction layer.
 *
 * Versions: every training burst ends with a new model version (a positive
 * integer that only grows for a series, across session restarts and trainer
 * crashes). Every slice event carries the version that made it; a newer
 * version pre-empts the inference of an older one, so once a version N
 * slice has arrived no slice of a version < N follows.
 */
import { z } from 'zod';
import { maxSegmentLabel } from './labels';
import { seriesIdSchema } from './series';
import { backendKindSchema } from './compute';
import { bytesSchema } from './bytes';
import { jobRecordSchema } from './jobRecord';
import { modelListSchema } from './modelSummary';
import { pretrainJobParamsSchema } from './pretrainJob';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();
/** Milliseconds since the epoch. */
const epochMs = z.number().nonnegative();

/** A session's id (one session at a time per series; a new session.start replaces the old one). */
export const sessionIdSchema = z.string().min(1).max(128);
export type SessionId = z.infer<typeof sessionIdSchema>;

/**
 * Training and inference settings. Every field is optional in `session.start`;
 * missing ones take the defaults of the trainer's backend (`session.defaults`):
 * CPU: size 64, width 16, burst 40 steps, batch 4; GPU: size 256, width 32,
 * burst 40 steps, batch 8, a quick answer after 250 ms (docs/interactive-loop.md). Tests and benchmarks pass
 * tiny values (e.g. size 32, width 4, burst 4) to stay fast on a CPU.
 */
export const sessionSettingsSchema = z
  .object({
    /** Optimiser steps per burst (after each label edit, before inference). */
    burstSteps: z.number().int().min(1).max(2000),
    /** Square training/inference slice size; a multiple of 16. */
    size: z.number().int().min(16).max(1024).refine((value) => value % 16 === 0, 'size must be a multiple of 16'),
    /** Slices per training step (>= 2: batch norm needs batch statistics). */
    batch: z.number().int().min(2).max(64),
    /** Base width f of a U-Net started from scratch (a pre-trained or fine-tuned init brings its own). */
    width: z.number().int().min(2).max(128),
    /** Adam learning rate of each burst's cosine cycle. */
    lr: z.number().positive().max(1),
    /** Slices per inference forward pass (default 16 on a GPU, 8 on a CPU). */
    inferBatch: z.number().int().min(1).max(64),
    /**
     * Milliseconds of training on new labels before a quick answer: the weights at
     * that point become a model version and the volume is inferred (slice on screen
     * first), then the burst goes on to a better version. 0 or absent: no quick
     * answer (one version per burst). Default 250 on a GPU, 0 on a CPU.
     */
    quickAnswerMs: z.number().int().min(0).max(600_000).optional(),
    /**
     * Training steps between two model versions while training runs (also
     * while the user keeps painting: new strokes join the running burst).
     * Absent: `burstSteps`. Default 5 on a CPU, 10 on a GPU.
     */
    versionEverySteps: z.number().int().min(1).max(2000).optional(),
    /**
     * How each burst fine-tunes: 'supervised' (the strokes alone) or 'simcvd' (plus a
     * mean teacher on the series' unlabelled slices; about twice the time a step).
     * Absent: 'supervised', what measured best (docs/eval-protocol.md).
     */
    method: z.enum(['supervised', 'simcvd']).optional(),
    /**
     * Answer each edit first with a pixel classifier (a random forest on multi-scale
     * features of the stroked voxels, about a second) until the network has finished
     * a burst; the network's next version replaces it (docs/interactive-loop.md).
     * Default on for a CPU, off on a GPU (its network answers as fast).
     */
    quickForest: z.boolean().optional(),
    /**
     * Once a version covers the whole volume, drop each structure's regions that
     * none of its strokes touches (3-D): islands on slices nobody painted, such as
     * scalp or neck taken for brain, or a neighbouring nucleus. Absent: on
     * (docs/eval-protocol.md measures it). Off for a structure painted in one place
     * but present in several unconnected pieces.
     */
    keepConnected: z.boolean().optional(),
    /**
     * Train and infer only inside the box around the structures' strokes (over
     * all painted slices, grown by a quarter of its size on every side, square);
     * everything outside it is background. A compact structure is then seen
     * near its own resolution instead of shrunk with the whole slice. Absent:
     * on (docs/eval-protocol.md measures it).
     */
    roi: z.boolean().optional(),
    /**
     * Divide each class's probability by its share of the painted pixels before
     * choosing the class: the network learns from what was painted, mostly
     * background, and otherwise leans to it where unsure (eroded or empty
     * structures). Absent: on (docs/eval-protocol.md measures it).
     */
    undoStrokePrior: z.boolean().optional(),
    /**
     * Where a background outline closes around a structure's strokes on a
     * slice, train on its whole inside as that structure (2 pixels beside the
     * outline left out) with the classes weighed equally, instead of on the
     * strokes alone. Absent: on (docs/eval-protocol.md measures it). Off when
     * an outline encloses tissue that is not the structure.
     */
    fillOutlines: z.boolean().optional(),
    /**
     * While a burst runs, show a new version only if it fits the strokes at least
     * as well as the version on screen (the burst's last version is always shown).
     * Absent: off: it kept worse versions off the screen but delayed the answer to
     * an edit, up to the burst's end (docs/interactive-loop.md, docs/benchmarks.md).
     */
    judgeVersions: z.boolean().optional(),
  })
  .strict();
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;
export const partialSessionSettingsSchema = sessionSettingsSchema.partial().strict();
export type PartialSessionSettings = z.infer<typeof partialSessionSettingsSchema>;

/**
 * What the session starts from: 'default' = the newest complete pre-trained
 * model of the registry (else scratch, said so in the start result and the
 * status), 'none' = scratch, or a registry model's id or name (a pre-trained
 * model: its encoder and first decoder blocks; a fine-tuned one: all of it,
 * continued warm).
 */
export const sessionInitSchema = z.string().min(1).max(200);

/** What pre-training a session's init model had, as the registry recorded it. */
export const initPretrainingSchema = z.object({
  /** Registry name and version of the pre-trained model. */
  name: z.string(),
  version: z.number().int().positive(),
  /** The archive folder it was pre-trained on, when recorded. */
  archive: z.string().nullable(),
  /** Series (and NIfTI volumes) of that archive it used. */
  seriesCount: z.number().int().nonnegative(),
  steps: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  /** ISO time the model was saved. */
  created: z.string(),
});
export type InitPretraining = z.infer<typeof initPretrainingSchema>;

/** Where a session's model came from. */
export const sessionInitInfoSchema = z.object({
  kind: z.enum(['pretrained', 'finetuned', 'none']),
  /** Registry id of the init model; null for scratch. */
  modelId: z.string().nullable(),
  /** Its name, or 'none'. */
  name: z.string(),
  /** A sentence for the user (e.g. "No pre-trained model in the registry: training from scratch."). */
  message: z.string(),
  /** The pre-training behind the init (the model itself, or the one a fine-tuned model started from); absent for scratch or when unknown. */
  pretraining: initPretrainingSchema.optional(),
});
export type SessionInitInfo = z.infer<typeof sessionInitInfoSchema>;

/**
 * - idle: nothing to do (waiting for strokes); also after a cancel
 * - training: a burst of fine-tuning steps runs
 * - inferring: slices of `modelVersion` are being segmented and streamed
 * - paused: stopped by the user; edits are kept and trained on at resume
 * - restarting: the trainer process died and is being restarted (the session resumes from its last checkpoint)
 * - failed: stopped on an error (message says why); session.start again to retry
 * - closed: no session on this series (none started, or it was closed)
 */
export const sessionPhases = ['idle', 'training', 'inferring', 'paused', 'restarting', 'failed', 'closed'] as const;
export const sessionPhaseSchema = z.enum(sessionPhases);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;

/** What made a model version: the network, or the pixel classifier's quick answer shown while it trains. */
export const modelSourceSchema = z.enum(['network', 'forest']);
export type ModelSource = z.infer<typeof modelSourceSchema>;

/** The session's state, sent on subscription and on every change (at most ~4 a second). */
export const sessionStatusSchema = z.object({
  kind: z.literal('status'),
  seriesId: seriesIdSchema,
  /** Null when phase is 'closed'. */
  sessionId: sessionIdSchema.nullable(),
  phase: sessionPhaseSchema,
  /** Optimiser steps applied to the session's model so far (all bursts). */
  step: nonNegativeInt,
  /** Steps of the current burst done / planned (0/0 outside training). */
  burstStep: nonNegativeInt,
  burstSteps: nonNegativeInt,
  /** Loss of the last step; null before the first. */
  loss: z.number().nullable(),
  /** Parts of the last step's loss (fine-tuning: { loss }). */
  losses: z.record(z.string(), z.number()),
  stepsPerSecond: z.number().nonnegative(),
  /** Slices of `modelVersion` inferred / total. */
  slicesDone: nonNegativeInt,
  slicesTotal: nonNegativeInt,
  /** Null until the trainer is ready. */
  backend: backendKindSchema.nullable(),
  device: z.string(),
  /** Version of the newest model (0 before the first burst ended). */
  modelVersion: nonNegativeInt,
  /** What made the newest version (absent before the first, and from older trainers: the network). */
  modelSource: modelSourceSchema.optional(),
  /** When the last slice reached the app (ms since the epoch); null before the first. */
  lastUpdateAt: epochMs.nullable(),
  init: sessionInitInfoSchema.nullable(),
  settings: sessionSettingsSchema.nullable(),
  /** The session's model in the registry after its last periodic save; null before the first save. */
  savedModelId: z.string().nullable(),
  /** A sentence for the user about the last notable event (trainer restarted, classes grew, failure), or null. */
  message: z.string().nullable(),
});
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/** Every step's loss since the previous `losses` event (for a loss plot that misses no point). */
export const sessionLossesEventSchema = z.object({
  kind: z.literal('losses'),
  sessionId: sessionIdSchema,
  points: z.array(z.object({ step: positiveInt, loss: z.number() })).max(10_000),
});

/**
 * One refined slice. `runs`: label runs as bytes (runsToBytes in
 * src-main/shared/labels/labelRuns.ts) over that slice alone, index i + j*nx
 * (0 <= index < nx*ny), values = segment labels 1..254; voxels not covered
 * are 0 (no segment). Decode with decodeRuns(runs, nx*ny) + applyRuns into
 * a zeroed slice. Bytes, not base64 text: binary frames and structured clone
 * carry them without encoding (bytes.ts).
 */
export const sessionSliceEventSchema = z.object({
  kind: z.literal('slice'),
  sessionId: sessionIdSchema,
  modelVersion: positiveInt,
  /** Slice index in the series' sorted grid. */
  k: nonNegativeInt,
  runs: bytesSchema,
  /** Segment labels present in the slice. */
  labels: z.array(z.number().int().min(1).max(maxSegmentLabel)),
  /** What made this slice's version (absent: the network). */
  source: modelSourceSchema.optional(),
});
export type SessionSliceEvent = z.infer<typeof sessionSliceEventSchema>;

/** Every slice of `modelVersion` was sent. */
export const sessionVolumeDoneEventSchema = z.object({
  kind: z.literal('volumeDone'),
  sessionId: sessionIdSchema,
  modelVersion: positiveInt,
  slices: positiveInt,
  /** From the end of the burst that made the version to its last slice. */
  seconds: z.number().nonnegative(),
});

export const sessionEventSchema = z.discriminatedUnion('kind', [
  sessionStatusSchema,
  sessionLossesEventSchema,
  sessionSliceEventSchema,
  sessionVolumeDoneEventSchema,
]);
export type SessionEvent = z.infer<typeof sessionEventSchema>;

const bySession = z.object({ sessionId: sessionIdSchema }).strict();
const empty = z.object({}).strict();

export const sessionCalls = {
  /** The settings `session.start` fills in for the trainer's current backend, and both sets of defaults. */
  'session.defaults': {
    params: empty,
    result: z.object({
      backend: backendKindSchema.nullable(),
      settings: sessionSettingsSchema,
      cpu: sessionSettingsSchema,
      gpu: sessionSettingsSchema,
    }),
  },
  /**
   * Starts (or replaces) the session of a series: loads the image, the init
   * model and the stored labels; trains at once when labels exist. Fails with
   * 'not-found' for an unknown series or init model, 'unavailable' when the
   * trainer is not ready.
   */
  'session.start': {
    params: z
      .object({
        seriesId: seriesIdSchema,
        init: sessionInitSchema.default('default'),
        settings: partialSessionSettingsSchema.optional(),
        /**
         * True: when this series has a saved session model (a session closed on
         * a series switch, an app close, or saved periodically), continue it
         * (its weights, optimiser state and model version) instead of `init`.
         */
        resume: z.boolean().default(false),
      })
      .strict(),
    result: z.object({
      sessionId: sessionIdSchema,
      /** The newest model version of the series so far (0 for a new series). */
      modelVersion: nonNegativeInt,
      init: sessionInitInfoSchema,
      settings: sessionSettingsSchema,
    }),
  },
  /** The current status of a series' session (phase 'closed' when none). */
  'session.status': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: sessionStatusSchema },
  /** The slice on screen (sorted-grid index k): inference starts there, then its neighbours outward, then the rest. */
  'session.focus': { params: z.object({ sessionId: sessionIdSchema, k: nonNegativeInt }).strict(), result: sessionStatusSchema },
  /** Stops after the current step; edits that arrive meanwhile are kept for resume. */
  'session.pause': { params: bySession, result: sessionStatusSchema },
  'session.resume': { params: bySession, result: sessionStatusSchema },
  /**
   * Stops training and inference now (the model is kept); the session goes
   * idle, and the next edit starts a burst again. Resolves once stopped: no
   * slice of the stopped work is emitted after the answer.
   */
  'session.cancel': { params: bySession, result: sessionStatusSchema },
  /** Back to the init model (version numbering continues); trains again on the current labels. */
  'session.reset': { params: bySession, result: sessionStatusSchema },
  /** Ends the session (e.g. the series is closed), saving its model first. */
  'session.close': { params: bySession, result: sessionStatusSchema },
  /** The registry's models for the picker, and what 'default' means now. */
  'models.list': { params: empty, result: modelListSchema },
  /** Every job known to the workspace, newest first. */
  'jobs.list': { params: empty, result: z.array(jobRecordSchema) },
  /** Queues a pre-training job in the trainer process. */
  'jobs.startPretrain': { params: pretrainJobParamsSchema, result: jobRecordSchema },
  /** Stops a queued or running job (a running pre-training saves a checkpoint first). */
  'jobs.cancel': { params: z.object({ jobId: z.string().min(1).max(128) }).strict(), result: jobRecordSchema },
  /** Continues a cancelled, interrupted or failed job from its last checkpoint. */
  'jobs.resume': { params: z.object({ jobId: z.string().min(1).max(128) }).strict(), result: jobRecordSchema },
} as const;

export const sessionStreams = {
  /**
   * Everything about the session of a series, whichever session it is (a
   * session.start during the subscription keeps it going): the status at
   * once, then status (throttled), losses, slice and volumeDone events.
   */
  'session.events': { params: z.object({ seriesId: seriesIdSchema }).strict(), event: sessionEventSchema },
  /** Every job record at once, then each record again when it changes (progress throttled to ~2 a second). */
  'jobs.updates': { params: empty, event: jobRecordSchema },
} as const;
