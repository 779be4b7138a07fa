/** The record of a long background job, kept in the workspace and streamed on `jobs.updates` (sessionApi.ts). */
import { z } from 'zod';
import { pretrainJobParamsSchema } from './pretrainJob';

const nonNegativeInt = z.number().int().nonnegative();

/**
 * - queued: waits for the trainer (or for the job before it)
 * - running: steps are being taken
 * - interrupted: the app or trainer stopped while it ran; resumed from its last checkpoint when the app (or trainer) is back
 * - cancelled: stopped by the user (its checkpoint is kept; jobs.resume continues it)
 * - done / failed
 */
export const jobStates = ['queued', 'running', 'interrupted', 'cancelled', 'done', 'failed'] as const;
export const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;

/** A long job, persisted in the workspace (jobs.json). */
export const jobRecordSchema = z.object({
  jobId: z.string().min(1).max(128),
  kind: z.literal('pretrain'),
  params: pretrainJobParamsSchema,
  state: jobStateSchema,
  /** What it is doing now, for the user (e.g. "loading 12/32 volumes", "step 120 of 1000"). */
  phase: z.string(),
  step: nonNegativeInt,
  totalSteps: nonNegativeInt,
  losses: z.record(z.string(), z.number()),
  slicesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** The newest checkpoint saved (what a resume starts from). */
  checkpoint: z.object({ modelId: z.string(), step: nonNegativeInt, at: z.string() }).nullable(),
  /** The finished model (state 'done'). */
  resultModelId: z.string().nullable(),
  /** Notes and the reason of a failure. */
  message: z.string().nullable(),
  /** ISO times. */
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;
