/**
 * The interactive stream of the trainer: loads a workspace series, its init
 * model (or the session's own checkpoint after a restart), then runs an
 * InteractiveSession until the stream is cancelled. While it runs, the
 * session answers the interactive.* calls by its id (see LiveSessions).
 *
 * It does not take the job queue: a session lives as long as the series is
 * open, and a background pre-training must not wait for it (nor it for a
 * pre-training that takes hours). Both share the device when they overlap;
 * on one JS thread their steps interleave.
 */
import type { CancelSignal } from '../../shared/rpc/cancelSignal';
import { openModelRegistry, type LoadedModel } from '../../workspace/modelRegistry';
import { loadImageInput } from './imageInput';
import { InteractiveLayers } from './interactiveLayers';
import { loadInit } from './interactiveModel';
import { interactiveParamsSchema, type InteractiveEvent, type InteractiveParams } from '../../shared/contract/trainer/interactiveSchemas';
import { InteractiveSession } from './interactiveSession';
import { stopRequested, type JobBackend } from './jobContext';
import { modelVolumeOf } from './resizeVolume';

/** The sessions running in this trainer, by session id. */
export class LiveSessions {
  private readonly sessions = new Map<string, InteractiveSession>();

  /** The live session `sessionId`; throws a clear error when there is none. */
  get(sessionId: string): InteractiveSession {
    const session = this.sessions.get(sessionId);
    if (session === undefined) throw new Error(`No interactive session "${sessionId}" runs in this trainer (it ended, or the trainer restarted).`);
    return session;
  }

  add(sessionId: string, session: InteractiveSession): void {
    if (this.sessions.has(sessionId)) throw new Error(`An interactive session "${sessionId}" already runs in this trainer.`);
    this.sessions.set(sessionId, session);
  }

  delete(sessionId: string, session: InteractiveSession): void {
    if (this.sessions.get(sessionId) === session) this.sessions.delete(sessionId);
  }
}

export interface InteractiveJobContext {
  readonly emit: (event: InteractiveEvent) => void;
  readonly signal: CancelSignal;
  readonly backend: JobBackend;
  readonly sessions: LiveSessions;
}

/** Runs one session until its stream is cancelled. */
export async function runInteractiveJob(params: InteractiveParams, ctx: InteractiveJobContext): Promise<void> {
  const settings = interactiveParamsSchema.parse(params);
  const { emit, signal } = ctx;
  const registry = await openModelRegistry(settings.workspaceDir);
  const init = await loadInit(registry, settings.init);
  let start: LoadedModel | null = init.loaded;
  if (settings.resumeFrom !== null) {
    try {
      start = await registry.load(settings.resumeFrom);
    } catch (thrown) {
      emit({ type: 'note', message: `The session's checkpoint ${settings.resumeFrom} could not be read (${thrown instanceof Error ? thrown.message : String(thrown)}); starting again from ${init.info.name}.` });
    }
  }
  const image = await loadImageInput({ seriesId: settings.seriesId }, settings.workspaceDir, signal);
  if (stopRequested(signal)) return;
  const dimensions = image.volume.geometry.dimensions;
  const layers = new InteractiveLayers([dimensions[0], dimensions[1], dimensions[2]]);
  const session = new InteractiveSession({ settings, emit, backend: ctx.backend, registry, volume: modelVolumeOf(image.volume), layers, init, start });
  ctx.sessions.add(settings.sessionId, session);
  const offCancel = signal.onCancel(() => session.stop());
  try {
    emit({ type: 'ready', init: init.info, dimensions: [dimensions[0], dimensions[1], dimensions[2]], classes: session.classes, step: session.step });
    await session.run();
  } finally {
    offCancel();
    ctx.sessions.delete(settings.sessionId, session);
  }
}
