/** What the user asks for when starting a pre-training job (the `jobs.startPretrain` call of sessionApi.ts). */
import { z } from 'zod';

/** Parameters of a pre-training job started from the UI (the rest take the CLI's defaults, docs/cli.md). */
export const pretrainJobParamsSchema = z
  .object({
    /** Absolute path of the archive folder (scanned first when it has no scan index yet). */
    archive: z.string().min(1).max(4096),
    /** Registry name of the result; a job with the same name resumes from its last checkpoint. */
    out: z.string().min(1).max(120).regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/, 'letters, digits, ".", "_", "-" and spaces'),
    steps: z.number().int().min(1).max(10_000_000).optional(),
    /** A multiple of 64. */
    size: z.number().int().min(64).max(1024).refine((value) => value % 64 === 0, 'size must be a multiple of 64').optional(),
    batch: z.number().int().min(2).max(256).optional(),
    width: z.number().int().min(2).max(128).optional(),
    lr: z.number().positive().max(1).optional(),
  })
  .strict();
export type PretrainJobParams = z.infer<typeof pretrainJobParamsSchema>;
