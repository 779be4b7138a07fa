/**
 * The interactive session of one series, app side: it opens the trainer's
 * `interactive` stream, sends the labels (in full once, then each applied
 * edit as sparse runs), relays the trainer's events to the series'
 * subscribers (SessionEvents), and survives the trainer process dying: when
 * the supervisor has a trainer again, the stream is reopened from the
 * session's last checkpoint, the labels are sent again in full, and the
 * status says what happened. Model versions only grow for the series,
 * across session starts and trainer restarts.
 */
import { randomUUID } from 'node:crypto';
import type { AppliedLabels, LabelService } from '../labels/labelService';
import type { TrainerStatus } from '../shared/contract/compute';
import type { SeriesId } from '../shared/contract/series';
import type { SessionInitInfo, SessionSettings, SessionStatus } from '../shared/contract/sessionApi';
import type { RpcClient, StreamEnd, Subscription } from '../shared/rpc/client';
import type { Unsubscribe } from '../shared/rpc/transport';
import type { CallParams } from '../shared/rpc/contractDef';
import type { InteractiveControl, InteractiveEvent, InteractiveState } from '../shared/contract/trainer/interactiveSchemas';
import type { TrainerContract } from '../shared/contract/trainer/protocol';
import { chosenBackend } from './sessionDefaults';
import { SessionError } from './sessionError';
import { SessionEvents } from './sessionEvents';

/** What a session needs of the trainer supervisor. */
export interface SessionTrainer {
  client(): RpcClient<TrainerContract> | null;
  status(): TrainerStatus;
  onStatus(listener: (status: TrainerStatus) => void): Unsubscribe;
}

export interface SeriesSessionDeps {
  readonly trainer: SessionTrainer;
  readonly labels: Pick<LabelService, 'load'>;
  readonly workspaceDir: string;
  /** How often the trainer saves the session's model (for a restart to resume from). */
  readonly saveEverySeconds: number;
  readonly throttleMs: number;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

/** A saved session model of the series to continue. */
export interface SessionResume {
  readonly modelId: string;
  /** The model version it was saved at: the session goes on from the next one. */
  readonly modelVersion: number;
  readonly steps: number;
}

/** What session.start asks for, with init already resolved to a registry id/name or 'none'. */
export interface SessionStartRequest {
  readonly init: string;
  /** Replaces the trainer's init message (e.g. "no pre-trained model: scratch"). */
  readonly initMessage: string | null;
  readonly settings: SessionSettings;
  /** Continue this saved model (its weights, optimiser state and version) rather than start from `init`. */
  readonly resume: SessionResume | null;
}

interface Active {
  readonly sessionId: string;
  readonly request: SessionStartRequest;
  init: SessionInitInfo | null;
  paused: boolean;
  focus: number;
  savedModelId: string | null;
  savedStep: number;
}

interface Link {
  readonly client: RpcClient<TrainerContract>;
  readonly subscription: Subscription;
  ready: boolean;
}

const phaseOf = { loading: 'idle', idle: 'idle', training: 'training', inferring: 'inferring', paused: 'paused' } as const;

function endMessage(end: StreamEnd): string {
  return end.error?.message ?? `the trainer's session stream ended (${end.reason})`;
}

export class SeriesSession {
  readonly events: SessionEvents;
  private active: Active | null = null;
  private link: Link | null = null;
  private generation = 0;
  private lastVersion = 0;
  private sentRevision = -1;
  private recovering = false;
  private ending: Promise<void> | null = null;

  constructor(
    readonly seriesId: SeriesId,
    private readonly deps: SeriesSessionDeps,
  ) {
    this.events = new SessionEvents(seriesId, { throttleMs: deps.throttleMs, now: deps.now, log: deps.log });
  }

  get status(): SessionStatus {
    return this.events.status;
  }

  get sessionId(): string | null {
    return this.active?.sessionId ?? null;
  }

  /** Starts a session (ending the current one); resolves once the trainer loaded it and has the labels. */
  async start(request: SessionStartRequest): Promise<{ sessionId: string; modelVersion: number; init: SessionInitInfo; settings: SessionSettings }> {
    await this.end();
    const { resume } = request;
    const active: Active = { sessionId: randomUUID(), request, init: null, paused: false, focus: 0, savedModelId: resume?.modelId ?? null, savedStep: resume?.steps ?? 0 };
    this.active = active;
    if (resume !== null) this.lastVersion = Math.max(this.lastVersion, resume.modelVersion);
    const { backend, device } = chosenBackend(this.deps.trainer.status());
    this.events.update({ sessionId: active.sessionId, phase: 'idle', step: 0, burstStep: 0, burstSteps: 0, loss: null, losses: {}, stepsPerSecond: 0, slicesDone: 0, slicesTotal: 0, backend, device, modelVersion: this.lastVersion, init: null, settings: request.settings, savedModelId: active.savedModelId, message: 'Loading the series and the model…' });
    try {
      await this.openLink(active, resume?.modelId ?? null);
    } catch (thrown) {
      if (this.active === active) {
        this.active = null;
        this.events.update({ sessionId: null, phase: 'closed', message: thrown instanceof Error ? thrown.message : String(thrown) });
      }
      throw thrown;
    }
    const init = active.init ?? { kind: 'none' as const, modelId: null, name: 'none', message: '' };
    return { sessionId: active.sessionId, modelVersion: this.lastVersion, init, settings: request.settings };
  }

  /** An edit the label store took: sent on as a delta (or in full after a gap or an import). */
  applied(applied: AppliedLabels): void {
    const active = this.active;
    if (active === null || this.link?.ready !== true) return; // The full labels go when the link is ready.
    if (applied.changes === 'all' || applied.revision !== this.sentRevision + 1) {
      void this.sendFull(active);
      return;
    }
    this.sentRevision = applied.revision;
    const delta: { strokes?: Uint8Array; accepted?: Uint8Array } = {};
    for (const change of applied.changes) delta[change.layer] = change.runs;
    void this.call(active, 'interactive.labels', { sessionId: active.sessionId, full: false, ...delta });
  }

  focus(sessionId: string, k: number): SessionStatus {
    const active = this.own(sessionId);
    active.focus = k;
    if (this.link?.ready === true) void this.call(active, 'interactive.focus', { sessionId, k });
    return this.status;
  }

  async control(sessionId: string, action: 'pause' | 'resume' | 'cancel' | 'reset'): Promise<SessionStatus> {
    const active = this.own(sessionId);
    if (action === 'pause' || action === 'resume') active.paused = action === 'pause';
    if (this.link?.ready !== true) {
      if (action === 'pause') this.events.update({ phase: 'paused' });
      return this.status;
    }
    const versionBefore = this.lastVersion;
    const state = await this.control1(active, action);
    if (action === 'cancel') {
      // Nothing of the stopped work may follow the answer, even if the trainer sent it late.
      this.events.fence(Math.max(versionBefore, state?.modelVersion ?? 0));
      this.events.update({ phase: 'idle', burstStep: 0, burstSteps: 0, message: 'Stopped: training and inference were cancelled (the model is kept; the next stroke trains again).' });
    } else if (action === 'reset') {
      this.events.update({ step: 0, message: `Back to the initial model (${active.init?.name ?? active.request.init}).` });
    } else if (state !== null) {
      this.events.update({ phase: phaseOf[state.phase] });
    }
    return this.status;
  }

  /** Ends the session, saving its model first; the series' status becomes 'closed'. */
  async close(sessionId: string): Promise<SessionStatus> {
    this.own(sessionId);
    await this.end();
    return this.status;
  }

  /** The supervisor's status changed. */
  trainerStatus(status: TrainerStatus): void {
    const active = this.active;
    if (active === null) return;
    if (status.state === 'crashed' || status.state === 'restarting' || status.state === 'starting' || status.state === 'probing') {
      if (this.link === null) this.events.update({ phase: 'restarting', message: status.message ?? 'The trainer is restarting…' });
      return;
    }
    if (status.state === 'failed') {
      this.events.update({ phase: 'failed', message: status.message ?? 'The trainer failed.' });
      return;
    }
    if (status.state === 'ready' && this.link === null) void this.recover(active);
  }

  /** Stops everything without saving (the app is closing). */
  dispose(): void {
    this.generation += 1;
    void this.link?.subscription.cancel();
    this.link = null;
    this.active = null;
    this.events.dispose();
  }

  private own(sessionId: string): Active {
    const active = this.active;
    if (active === null || active.sessionId !== sessionId) {
      throw new SessionError('not-found', `No session ${sessionId} runs on series ${this.seriesId} (it was closed or replaced).`);
    }
    return active;
  }

  /** Resolves once a session being closed has saved its model (a resume must read that save). */
  async settled(): Promise<void> {
    await this.ending?.catch(() => undefined);
  }

  /** Ends the current session, if any: cancels its work, saves its model, closes the stream (one ending at a time). */
  private end(): Promise<void> {
    if (this.ending !== null) return this.ending;
    const ending = this.endActive().finally(() => {
      if (this.ending === ending) this.ending = null;
    });
    this.ending = ending;
    return ending;
  }

  private async endActive(): Promise<void> {
    const active = this.active;
    if (active === null) return;
    if (this.link?.ready === true) {
      await this.control1(active, 'cancel');
      const saved = await this.control1(active, 'save');
      if (saved?.savedModelId != null) active.savedModelId = saved.savedModelId;
    }
    this.events.fence(this.lastVersion);
    this.active = null;
    this.generation += 1;
    const link = this.link;
    this.link = null;
    if (link !== null) await link.subscription.cancel();
    this.events.update({ sessionId: null, phase: 'closed', burstStep: 0, burstSteps: 0, savedModelId: active.savedModelId, message: active.savedModelId === null ? 'The session ended.' : `The session ended; its model is saved in the registry (${active.savedModelId}).` });
  }

  /** Opens the trainer stream; resolves at its 'ready' event, once the labels are sent. */
  private async openLink(active: Active, resumeFrom: string | null): Promise<void> {
    const client = this.deps.trainer.client();
    if (client === null) {
      throw new SessionError('unavailable', `The trainer is not ready (${this.deps.trainer.status().state}${this.deps.trainer.status().message !== null ? `: ${this.deps.trainer.status().message}` : ''}); try again when it is.`);
    }
    const generation = ++this.generation;
    await new Promise<void>((resolve, reject) => {
      let link: Link | null = null;
      const subscription = client.listen(
        'interactive',
        {
          sessionId: active.sessionId,
          workspaceDir: this.deps.workspaceDir,
          seriesId: this.seriesId,
          init: active.request.init,
          resumeFrom,
          out: `session ${this.seriesId}`.slice(0, 120),
          settings: active.request.settings,
          firstVersion: this.lastVersion + 1,
          saveEverySeconds: this.deps.saveEverySeconds,
        },
        {
          onEvent: (event) => {
            if (generation !== this.generation || link === null) return;
            if (event.type === 'ready') {
              link.ready = true;
              this.onReady(active, event);
              resolve();
            }
            this.onTrainerEvent(active, event);
          },
          onEnd: (end) => {
            if (generation !== this.generation || link === null) return;
            const wasReady = link.ready;
            this.link = null;
            if (!wasReady) reject(new SessionError(end.error?.code ?? 'internal', `The trainer could not open the session: ${endMessage(end)}`));
            else this.onLinkEnd(active, end);
          },
        },
      );
      link = { client, subscription, ready: false };
      this.link = link;
    });
    await this.sendFull(active);
    if (active.paused) await this.control1(active, 'pause');
    await this.call(active, 'interactive.focus', { sessionId: active.sessionId, k: active.focus });
  }

  private onReady(active: Active, event: Extract<InteractiveEvent, { type: 'ready' }>): void {
    const init = active.request.initMessage === null ? event.init : { ...event.init, message: active.request.initMessage };
    active.init = init;
    this.events.update({ init, step: event.step, message: init.message, slicesTotal: event.dimensions[2] });
  }

  private onTrainerEvent(active: Active, event: InteractiveEvent): void {
    const sessionId = active.sessionId;
    switch (event.type) {
      case 'ready':
        return;
      case 'phase':
        this.events.update({ phase: active.paused && event.phase !== 'paused' ? 'paused' : phaseOf[event.phase] });
        return;
      case 'step':
        this.events.addLoss(event.step, event.loss);
        this.events.update({ step: event.step, burstStep: event.burstStep, burstSteps: event.burstSteps, loss: event.loss, losses: { loss: event.loss }, stepsPerSecond: event.stepsPerSecond });
        return;
      case 'model':
        this.lastVersion = Math.max(this.lastVersion, event.modelVersion);
        this.events.newVersion(event.modelVersion);
        this.events.update({ modelVersion: this.lastVersion, modelSource: event.source ?? 'network', step: event.step, slicesDone: 0 }, true);
        return;
      case 'slice': {
        const passed = this.events.versioned({ kind: 'slice', sessionId, modelVersion: event.modelVersion, k: event.k, runs: event.runs, labels: event.labels, ...(event.source === undefined ? {} : { source: event.source }) });
        if (passed) this.events.update({ slicesDone: event.slicesDone, slicesTotal: event.slicesTotal, lastUpdateAt: this.deps.now() });
        return;
      }
      case 'volumeDone':
        if (this.events.versioned({ kind: 'volumeDone', sessionId, modelVersion: event.modelVersion, slices: event.slices, seconds: event.seconds })) this.events.update({ slicesDone: event.slices }, true);
        return;
      case 'checkpoint':
        active.savedModelId = event.modelId;
        active.savedStep = event.step;
        this.events.update({ savedModelId: event.modelId });
        return;
      case 'note':
        this.events.note(event.message);
        return;
    }
  }

  private onLinkEnd(active: Active, end: StreamEnd): void {
    if (this.active !== active || end.reason === 'cancelled') return;
    if (end.error?.code === 'unavailable') {
      // The supervisor restarts the trainer; its 'ready' status reopens the session (trainerStatus).
      this.events.update({ phase: 'restarting', message: `The trainer process stopped unexpectedly (${endMessage(end)}); the session continues from its last checkpoint once the trainer is back.` });
      return;
    }
    this.events.update({ phase: 'failed', message: `The session stopped: ${endMessage(end)}` });
  }

  /** Reopens the stream after the trainer came back, from the last checkpoint, with the labels sent again. */
  private async recover(active: Active): Promise<void> {
    if (this.recovering || this.active !== active) return;
    this.recovering = true;
    const from = active.savedModelId;
    const steps = active.savedStep;
    try {
      await this.openLink(active, from);
      if (this.active !== active) return;
      this.events.update({
        message: from === null
          ? `The trainer process was restarted. No checkpoint of this session had been saved yet, so training started again from ${active.init?.name ?? active.request.init}; your labels were sent again.`
          : `The trainer process was restarted. The session continued from its checkpoint (step ${steps}); your labels were sent again.`,
      });
    } catch (thrown) {
      if (this.active === active && this.link === null) {
        this.events.update({ phase: 'failed', message: `The trainer came back, but the session could not be reopened: ${thrown instanceof Error ? thrown.message : String(thrown)}` });
      }
    } finally {
      this.recovering = false;
    }
  }

  private async sendFull(active: Active): Promise<void> {
    const state = await this.deps.labels.load(this.seriesId);
    if (this.active !== active) return;
    this.sentRevision = state.revision;
    await this.call(active, 'interactive.labels', { sessionId: active.sessionId, full: true, strokes: state.strokes, accepted: state.accepted });
  }

  private async control1(active: Active, action: InteractiveControl): Promise<InteractiveState | null> {
    return this.call(active, 'interactive.control', { sessionId: active.sessionId, action });
  }

  /** Calls the trainer for `active`; failures are logged (a dead trainer is handled by the stream's end). */
  private async call<K extends 'interactive.labels' | 'interactive.focus' | 'interactive.control'>(
    active: Active,
    method: K,
    params: CallParams<TrainerContract, K>,
  ): Promise<InteractiveState | null> {
    const link = this.link;
    if (link === null) return null;
    const result = await link.client.call(method, params);
    if (!result.ok) {
      this.deps.log(`session ${active.sessionId}: ${method} failed: ${result.error.message}`);
      return null;
    }
    return result.value;
  }
}
