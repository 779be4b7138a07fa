/**
 * The app contract's PACS section: DICOMweb connections (secrets go in, never
 * out), QIDO-RS searches and WADO-RS retrieves as cancellable streams, and
 * STOW-RS of an exported DICOM-SEG.
 */
import { z } from 'zod';
import {
  pacsArchivePreviewSchema,
  pacsArchiveQuerySchema,
  pacsConnectionIdSchema,
  pacsConnectionInputSchema,
  pacsConnectionSchema,
  pacsSearchEventSchema,
  pacsSecretStorageSchema,
  retrieveEventSchema,
  storeResultSchema,
  studyQuerySchema,
} from './pacs';
import { seriesIdSchema } from './series';

const uidSchema = z.string().regex(/^[0-9]+(\.[0-9]+)*$/).max(64);

export const pacsConnectionsSchema = z.object({
  connections: z.array(pacsConnectionSchema),
  /** Where passwords and tokens are kept (the UI says so). */
  secretStorage: pacsSecretStorageSchema,
  /** The workspace's store of retrieved files: the only place the app copies pixels. */
  storeFolder: z.string(),
});
export type PacsConnections = z.infer<typeof pacsConnectionsSchema>;

export const pacsCalls = {
  /** The saved connections (without secrets), and where secrets and retrieved files are kept. */
  'pacs.connections': { params: z.object({}).strict(), result: pacsConnectionsSchema },
  /** Adds (no id) or edits a connection; the secret is stored in the keychain or the workspace's private file. */
  'pacs.saveConnection': { params: pacsConnectionInputSchema, result: pacsConnectionSchema },
  'pacs.removeConnection': { params: z.object({ id: pacsConnectionIdSchema }).strict(), result: pacsConnectionsSchema },
  /** Asks the server for one study (QIDO-RS): says whether the URL, credentials and certificate work. */
  'pacs.testConnection': { params: z.object({ id: pacsConnectionIdSchema }).strict(), result: z.object({ message: z.string() }) },
  /** The series a PACS query would give a pre-training and those it would leave out, from their headers (no pixels). */
  'pacs.archivePreview': { params: z.object({ connectionId: pacsConnectionIdSchema, query: pacsArchiveQuerySchema }).strict(), result: pacsArchivePreviewSchema },
  /**
   * Sends a DICOM-SEG file (STOW-RS) to `connectionId`, or, when null, to the
   * server `seriesId` was retrieved from.
   */
  'pacs.sendSeg': {
    params: z.object({ connectionId: pacsConnectionIdSchema.nullable(), path: z.string().min(1).max(4096), seriesId: seriesIdSchema.optional() }).strict(),
    result: storeResultSchema,
  },
} as const;

export const pacsStreams = {
  /** One page of studies, or the series of one study: a single event; cancel to abandon the search. */
  'pacs.search': {
    params: z.union([
      z.object({ connectionId: pacsConnectionIdSchema, query: studyQuerySchema }).strict(),
      z.object({ connectionId: pacsConnectionIdSchema, studyInstanceUid: uidSchema }).strict(),
    ]),
    event: pacsSearchEventSchema,
  },
  /**
   * Retrieves a series into the workspace store and imports it: progress
   * events, then `done`. Cancelled or failed, what is stored stays; running
   * it again fetches only the rest.
   */
  'pacs.retrieve': {
    params: z.object({ connectionId: pacsConnectionIdSchema, studyInstanceUid: uidSchema, seriesInstanceUid: uidSchema }).strict(),
    event: retrieveEventSchema,
  },
} as const;
