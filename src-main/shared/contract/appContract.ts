/**
 * The contract between the renderer and the app (Electron main or the
 * browser host). The renderer imports this module and nothing else of src-main.
 * Each domain declares its calls and streams in its own file.
 */
import { z } from 'zod';
import { defineContract } from '../rpc/contractDef';
import { archiveStreams } from './archiveApi';
import { labelsCalls, labelsStreams } from './labelsApi';
import { pacsCalls, pacsStreams } from './pacsApi';
import { segCalls } from './segApi';
import { seriesCalls, seriesStreams } from './seriesApi';
import { sessionCalls, sessionStreams } from './sessionApi';
import { trainerCalls, trainerStreams } from './trainerApi';

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
    'app.info': { params: z.object({}).strict(), result: appInfoSchema },
    ...trainerCalls,
    ...seriesCalls,
    ...labelsCalls,
    ...segCalls,
    ...sessionCalls,
    ...pacsCalls,
  },
  streams: {
    ...trainerStreams,
    ...seriesStreams,
    ...archiveStreams,
    ...labelsStreams,
    ...sessionStreams,
    ...pacsStreams,
  },
});
export type AppContract = typeof appContract;
