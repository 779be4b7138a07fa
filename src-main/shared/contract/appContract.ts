/**
 * The contract between the renderer and the app (Electron main or the
 * browser host). The renderer imports this module and nothing else of src-main.
 */
import { z } from 'zod';
import { defineContract } from '../rpc/contractDef';
import { backendPreferenceSchema, trainerStatusSchema } from './compute';

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which shell serves the renderer: the Electron app or the loopback browser host. */
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appContract = defineContract({
  calls: {
    /** Name, version and host of the running app. */
    'app.info': { params: empty, result: appInfoSchema },
    /** The trainer's current status (state, chosen backend, probe figures). */
    'trainer.status': { params: empty, result: trainerStatusSchema },
    /** Forces a compute backend (or `auto`); restarts the trainer, which probes again. */
    'trainer.setBackend': { params: z.object({ preference: backendPreferenceSchema }).strict(), result: trainerStatusSchema },
    /** Restarts the trainer process and probes again. */
    'trainer.restart': { params: empty, result: trainerStatusSchema },
  },
  streams: {
    /** The trainer's status, once at subscription and again on every change. */
    'trainer.statusUpdates': { params: empty, event: trainerStatusSchema },
  },
});
export type AppContract = typeof appContract;
