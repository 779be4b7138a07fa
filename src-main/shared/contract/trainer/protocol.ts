/**
 * The contract between the trainer process and whoever supervises it
 * (Electron main, the browser host, the CLI). Carried over the same RPC layer
 * as the app contract, on the process's own channel.
 */
import { z } from 'zod';
import { defineContract } from '../../rpc/contractDef';
import { backendPreferenceSchema, probeReportSchema } from '../compute';
import {
  finetuneEventSchema,
  finetuneParamsSchema,
  inferEventSchema,
  inferParamsSchema,
  pretrainEventSchema,
  pretrainParamsSchema,
} from './jobSchemas';
import { interactiveCalls, interactiveEventSchema, interactiveParamsSchema } from './interactiveSchemas';

export const trainerContract = defineContract({
  calls: {
    /** Loads the backends that are present, times the probe workload on each, activates the chosen one. */
    probe: { params: z.object({ preference: backendPreferenceSchema }).strict(), result: probeReportSchema },
    /** Liveness check. */
    ping: { params: z.object({}).strict(), result: z.object({ pid: z.number().int(), uptimeMs: z.number() }) },
    ...interactiveCalls,
  },
  streams: {
    /**
     * Jobs run one at a time in the trainer (after any probe in progress);
     * each streams loading/progress/checkpoint/note events and ends with
     * 'done'. Cancelling stops between steps (a pre-training saves a
     * checkpoint first, so the same call resumes it).
     */
    pretrain: { params: pretrainParamsSchema, event: pretrainEventSchema },
    finetune: { params: finetuneParamsSchema, event: finetuneEventSchema },
    infer: { params: inferParamsSchema, event: inferEventSchema },
    /**
     * An interactive fine-tuning session (docs/interactive-loop.md) on a workspace series, alive
     * until cancelled; driven by the interactive.* calls. Outside the job queue.
     */
    interactive: { params: interactiveParamsSchema, event: interactiveEventSchema },
  },
});
export type TrainerContract = typeof trainerContract;
