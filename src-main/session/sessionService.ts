/**
 * The interactive sessions of a workspace, one per series (SeriesSession),
 * fed by the label store's applied edits and the trainer supervisor's
 * status; and the model list with what init 'default' means. Framework-free:
 * the desktop app and the browser host serve it through sessionHandlers.ts.
 */
import type { LabelService } from '../labels/labelService';
import type { SeriesId } from '../shared/contract/series';
import type { ModelList } from '../shared/contract/modelSummary';
import type { PartialSessionSettings, SessionInitInfo, SessionSettings, SessionStatus } from '../shared/contract/sessionApi';
import { ModelNotFoundError, openModelRegistry } from '../workspace/modelRegistry';
import { defaultInitOf, listModels, sessionModelOf } from './modelList';
import { cpuSessionSettings, chosenBackend, gpuSessionSettings, resolveSessionSettings } from './sessionDefaults';
import { SessionError } from './sessionError';
import { settingsMemoryProblem } from './settingsMemory';
import type { SessionSink } from './sessionEvents';
import { SeriesSession, type SessionResume, type SessionTrainer } from './seriesSession';

export interface SessionServiceOptions {
  readonly trainer: SessionTrainer;
  readonly labels: Pick<LabelService, 'load' | 'onApplied'>;
  readonly workspaceDir: string;
  /** How often a session's model is saved to the registry (default 30 s). */
  readonly saveEverySeconds?: number;
  /** Status events at most this often per series (default 250 ms). */
  readonly throttleMs?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

export interface SessionStartParams {
  readonly seriesId: string;
  readonly init: string;
  readonly settings?: PartialSessionSettings | undefined;
  /** Continue the series' own saved session model when there is one (see session.start). */
  readonly resume?: boolean;
}

export interface SessionService {
  defaults(): { backend: SessionStatus['backend']; settings: SessionSettings; cpu: SessionSettings; gpu: SessionSettings };
  start(params: SessionStartParams): Promise<{ sessionId: string; modelVersion: number; init: SessionInitInfo; settings: SessionSettings }>;
  status(seriesId: string): SessionStatus;
  focus(sessionId: string, k: number): SessionStatus;
  control(sessionId: string, action: 'pause' | 'resume' | 'cancel' | 'reset'): Promise<SessionStatus>;
  close(sessionId: string): Promise<SessionStatus>;
  /** Subscribes to a series' session events (the status at once); returns the unsubscribe. */
  subscribe(seriesId: string, sink: SessionSink): () => void;
  models(): Promise<ModelList>;
  /** Closes every session, saving their models (the app is shutting down); later calls find no session. */
  shutdown(): Promise<void>;
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const log = options.log ?? (() => undefined);
  const series = new Map<string, SeriesSession>();
  const deps = {
    trainer: options.trainer,
    labels: options.labels,
    workspaceDir: options.workspaceDir,
    saveEverySeconds: options.saveEverySeconds ?? 30,
    throttleMs: options.throttleMs ?? 250,
    log,
    now: options.now ?? Date.now,
  };
  const sessionOf = (seriesId: string): SeriesSession => {
    let found = series.get(seriesId);
    if (found === undefined) {
      // The contract checked the id's shape; the brand only says so.
      found = new SeriesSession(seriesId as SeriesId, deps);
      series.set(seriesId, found);
    }
    return found;
  };
  const bySessionId = (sessionId: string): SeriesSession => {
    for (const session of series.values()) if (session.sessionId === sessionId) return session;
    throw new SessionError('not-found', `No session ${sessionId} is running (it was closed or replaced by a newer one).`);
  };
  const offApplied = options.labels.onApplied((applied) => series.get(applied.seriesId)?.applied(applied));
  const offStatus = options.trainer.onStatus((status) => {
    for (const session of series.values()) session.trainerStatus(status);
  });

  /** 'default' -> the newest complete pre-trained model, else 'none' (said so); a named model must exist. */
  const resolveInit = async (init: string): Promise<{ init: string; message: string | null }> => {
    if (init === 'none') return { init, message: null };
    const registry = await openModelRegistry(options.workspaceDir);
    if (init === 'default') {
      const chosen = defaultInitOf(await registry.list());
      return chosen === null
        ? { init: 'none', message: 'No pre-trained model in the registry yet: training from scratch. Pre-train one on your archive (Jobs) and it becomes the default.' }
        : { init: chosen.id, message: null };
    }
    try {
      return { init: (await registry.find(init)).id, message: null };
    } catch (thrown) {
      if (thrown instanceof ModelNotFoundError) throw new SessionError('not-found', `No model "${init}" in the registry ${registry.dir}; pick one from the list, or 'default' or 'none'.`);
      throw thrown;
    }
  };

  /**
   * The series' saved session model to continue, with the init it came from
   * (what reset goes back to; scratch when that model is gone), or null.
   */
  const resumeOf = async (seriesId: string): Promise<{ init: string; message: string; resume: SessionResume } | null> => {
    const registry = await openModelRegistry(options.workspaceDir);
    const records = await registry.list();
    const saved = sessionModelOf(records, seriesId);
    if (saved === null) return null;
    const parent = saved.parentId === null ? undefined : records.find((record) => record.id === saved.parentId);
    const version = saved.settings['modelVersion'];
    const modelVersion = typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
    return {
      init: parent?.id ?? 'none',
      message: `Continuing this series' session saved ${saved.created.slice(0, 16).replace('T', ' ')} (model version ${modelVersion}, step ${saved.steps}).`,
      resume: { modelId: saved.id, modelVersion, steps: saved.steps },
    };
  };

  return {
    defaults() {
      const status = options.trainer.status();
      return { backend: chosenBackend(status).backend, settings: resolveSessionSettings(status), cpu: cpuSessionSettings, gpu: gpuSessionSettings };
    },
    async start(params) {
      const status = options.trainer.status();
      const settings = resolveSessionSettings(status, params.settings);
      const tooLarge = settingsMemoryProblem(chosenBackend(status).backend, settings);
      if (tooLarge !== null) throw new SessionError('bad-request', tooLarge);
      // A close of this series' session still saving (the user came straight back) is waited for: resume reads its save.
      if (params.resume === true) await sessionOf(params.seriesId).settled();
      const resumed = params.resume === true ? await resumeOf(params.seriesId) : null;
      if (resumed !== null) return sessionOf(params.seriesId).start({ init: resumed.init, initMessage: resumed.message, settings, resume: resumed.resume });
      const init = await resolveInit(params.init);
      return sessionOf(params.seriesId).start({ init: init.init, initMessage: init.message, settings, resume: null });
    },
    status: (seriesId) => sessionOf(seriesId).status,
    focus: (sessionId, k) => bySessionId(sessionId).focus(sessionId, k),
    control: (sessionId, action) => bySessionId(sessionId).control(sessionId, action),
    close: (sessionId) => bySessionId(sessionId).close(sessionId),
    async shutdown() {
      offApplied();
      offStatus();
      const open = [...series.values()].filter((session) => session.sessionId !== null);
      await Promise.allSettled(open.map((session) => session.close(session.sessionId as string)));
      for (const session of series.values()) session.dispose();
      series.clear();
    },
    subscribe: (seriesId, sink) => sessionOf(seriesId).events.subscribe(sink),
    models: async () => listModels(await openModelRegistry(options.workspaceDir)),
  };
}
