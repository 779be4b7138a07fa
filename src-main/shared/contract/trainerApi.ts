/** The app contract's trainer section: status, backend choice, restart. */
import { z } from 'zod';
import { backendPreferenceSchema, trainerStatusSchema } from './compute';

const empty = z.object({}).strict();

export const trainerCalls = {
  /** The trainer's current status (state, chosen backend, probe figures). */
  'trainer.status': { params: empty, result: trainerStatusSchema },
  /**
   * Forces a compute backend (or `auto`); restarts the trainer, which probes again.
   * `threads`: the WebAssembly backend's threads (null: every core; absent: unchanged).
   */
  'trainer.setBackend': {
    params: z.object({ preference: backendPreferenceSchema, threads: z.number().int().min(1).max(256).nullable().optional() }).strict(),
    result: trainerStatusSchema,
  },
  /** Restarts the trainer process and probes again. */
  'trainer.restart': { params: empty, result: trainerStatusSchema },
} as const;

export const trainerStreams = {
  /** The trainer's status, once at subscription and again on every change. */
  'trainer.statusUpdates': { params: empty, event: trainerStatusSchema },
} as const;
