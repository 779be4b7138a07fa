/**
 * What the PACS panel and the `macl pacs` command exchange with the PACS
 * service: DICOMweb connections (without their secrets), study searches,
 * retrieve progress and STOW-RS results.
 */
import { z } from 'zod';
import { seriesSummarySchema } from './series';

export const pacsAuthKindSchema = z.enum(['none', 'basic', 'bearer']);
export type PacsAuthKind = z.infer<typeof pacsAuthKindSchema>;

export const pacsConnectionIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** A saved connection as the UI sees it: never the password or token. */
export const pacsConnectionSchema = z.object({
  id: pacsConnectionIdSchema,
  name: z.string().min(1).max(80),
  /** DICOMweb base URL, e.g. https://pacs.example.org/dicom-web. */
  baseUrl: z.string().min(1).max(2048),
  authKind: pacsAuthKindSchema,
  /** The user name of HTTP basic authentication ('' otherwise). */
  username: z.string().max(256),
  /** Whether a password or token is stored for it (in the keychain or the workspace's private file). */
  hasSecret: z.boolean(),
  /** A certificate (PEM) the user chose to trust for this server, or null. */
  certificatePem: z.string().max(65536).nullable(),
});
export type PacsConnection = z.infer<typeof pacsConnectionSchema>;

/** Adding (no id) or editing (id) a connection. `secret` omitted on an edit keeps the stored one. */
export const pacsConnectionInputSchema = z
  .object({
    id: pacsConnectionIdSchema.optional(),
    name: z.string().trim().min(1).max(80),
    baseUrl: z.string().trim().min(1).max(2048),
    authKind: pacsAuthKindSchema,
    username: z.string().max(256).optional(),
    /** Password (basic) or token (bearer). */
    secret: z.string().max(8192).optional(),
    certificatePem: z.string().max(65536).nullable().optional(),
  })
  .strict();
export type PacsConnectionInput = z.infer<typeof pacsConnectionInputSchema>;

/** Where the secrets are kept, for the UI to say so. */
export const pacsSecretStorageSchema = z.enum(['keychain', 'workspace-file']);

/** A DICOM date: YYYYMMDD (a YYYY-MM-DD is accepted and normalised by the service). */
const dicomDateSchema = z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/, 'a date is YYYY-MM-DD');

export const studyQuerySchema = z
  .object({
    patientName: z.string().max(64).optional(),
    patientId: z.string().max(64).optional(),
    accessionNumber: z.string().max(16).optional(),
    studyDateFrom: dicomDateSchema.optional(),
    studyDateTo: dicomDateSchema.optional(),
    modality: z.string().regex(/^[A-Z0-9]{0,16}$/).optional(),
    offset: z.number().int().min(0).max(1_000_000),
    limit: z.number().int().min(1).max(500),
  })
  .strict();
export type StudyQuery = z.infer<typeof studyQuerySchema>;

export const studyMatchSchema = z.object({
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  accessionNumber: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
});
export type StudyMatch = z.infer<typeof studyMatchSchema>;

export const seriesMatchSchema = z.object({
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  modality: z.string(),
  description: z.string(),
  seriesNumber: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
  /** Whether the workspace's store already holds every instance of it. */
  inWorkspace: z.boolean(),
});
export type SeriesMatch = z.infer<typeof seriesMatchSchema>;

export const pacsSearchEventSchema = z.discriminatedUnion('kind', [
  /** One page of studies; `more` when the page was full (ask with a larger offset). */
  z.object({ kind: z.literal('studies'), studies: z.array(studyMatchSchema), more: z.boolean() }),
  z.object({ kind: z.literal('series'), series: z.array(seriesMatchSchema) }),
]);
export type PacsSearchEvent = z.infer<typeof pacsSearchEventSchema>;

export const retrieveProgressSchema = z.object({
  kind: z.literal('progress'),
  instancesTotal: z.number().int().nonnegative(),
  /** Instances on disk, fetched in this run or earlier. */
  instancesDone: z.number().int().nonnegative(),
  /** Of those, already complete in the store before this run (not fetched again). */
  instancesAlreadyPresent: z.number().int().nonnegative(),
  bytesFetched: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type RetrieveProgress = z.infer<typeof retrieveProgressSchema>;

export const retrieveEventSchema = z.discriminatedUnion('kind', [
  retrieveProgressSchema,
  z.object({
    kind: z.literal('done'),
    /** The series as imported into the workspace (opens like any imported series). */
    series: z.array(seriesSummarySchema),
    fetched: z.number().int().nonnegative(),
    alreadyPresent: z.number().int().nonnegative(),
    bytesFetched: z.number().nonnegative(),
    seconds: z.number().nonnegative(),
  }),
]);
export type RetrieveEvent = z.infer<typeof retrieveEventSchema>;

export const storeResultSchema = z.object({
  /** The server that was sent the file. */
  server: z.string(),
  accepted: z.array(z.string()),
  warnings: z.array(z.string()),
  failures: z.array(z.object({ sopInstanceUid: z.string(), reason: z.string() })),
});
export type StoreResult = z.infer<typeof storeResultSchema>;

/**
 * A PACS query used as a pre-training archive: the series (QIDO-RS, all
 * studies) matching a modality, a study date range and a series
 * description (the server matches it; `*` and `?` are wildcards).
 */
export const pacsArchiveQuerySchema = z
  .object({
    modality: z.string().regex(/^[A-Z0-9]{1,16}$/, 'a modality is a code such as MR or CT').optional(),
    studyDateFrom: dicomDateSchema.optional(),
    studyDateTo: dicomDateSchema.optional(),
    description: z.string().min(1).max(64).optional(),
  })
  .strict();
export type PacsArchiveQuery = z.infer<typeof pacsArchiveQuerySchema>;

/** Default bound of the on-disk cache of a PACS archive's pixels (the user sets their own). */
export const defaultPacsCacheBytes = 2 * 1024 ** 3;

/** What a PACS query would give a pre-training, from the series' headers alone (no pixels). */
export const pacsArchivePreviewSchema = z.object({
  /** The server and query in words. */
  archive: z.string(),
  usable: z.array(z.object({ seriesInstanceUid: z.string(), modality: z.string(), description: z.string(), slices: z.number().int().nonnegative() })),
  /** One line per series left out, with the reason. */
  leftOut: z.array(z.string()),
});
export type PacsArchivePreview = z.infer<typeof pacsArchivePreviewSchema>;
