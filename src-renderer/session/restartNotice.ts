/**
 * What to tell the radiologist when the trainer process died under the
 * session: the app restarts it from the last checkpoint, and the strokes
 * (kept by the app, not the trainer) are never at risk. Fed with session
 * phases and the supervisor's restart count, since a quick restart can fall
 * between two throttled status events and show no 'restarting' phase at all.
 */
import type { SessionPhase } from '../../src-main/shared/contract/sessionApi';

export interface RestartNoticeState {
  readonly text: string;
  /** True while the trainer is still coming back or could not. */
  readonly alarming: boolean;
}

const safe = 'your strokes are safe';

export class RestartNotice {
  private reason: string | null = null;
  private restarts: number | null = null;
  private current: RestartNoticeState | null = null;
  /** The session's message before the trainer stopped: repeated in a 'restarting' status, it is no reason. */
  private calmMessage: string | null = null;

  get state(): RestartNoticeState | null {
    return this.current;
  }

  /** A session status arrived. Returns the new notice when it changed. */
  onSession(phase: SessionPhase, message: string | null): RestartNoticeState | null {
    if (phase === 'restarting') {
      const fresh = message !== null && message !== this.calmMessage ? message : null;
      this.reason = fresh ?? this.reason ?? 'it exited unexpectedly';
      return this.set({ text: `The trainer stopped (${this.reason}); it is being restarted from the last checkpoint; ${safe}.`, alarming: true });
    }
    this.calmMessage = message;
    if (this.current?.alarming === true && this.reason !== null) {
      if (phase === 'failed') {
        return this.set({ text: `The trainer stopped (${this.reason}) and the session could not continue${message === null ? '' : `: ${message}`}. Your strokes are safe; start the session again.`, alarming: true });
      }
      return this.set({ text: `The trainer stopped (${this.reason}); it was restarted from the last checkpoint; ${safe}.`, alarming: false });
    }
    return null;
  }

  /** The supervisor's restart count and message (trainer.statusUpdates). */
  onTrainer(restarts: number, message: string | null, sessionOpen: boolean): RestartNoticeState | null {
    const before = this.restarts;
    this.restarts = restarts;
    if (before === null || restarts <= before || !sessionOpen) return null;
    if (this.current?.alarming === true) return null; // the session phase already tells the story
    this.reason = message ?? 'it exited unexpectedly';
    return this.set({ text: `The trainer stopped (${this.reason}); it was restarted from the last checkpoint; ${safe}.`, alarming: false });
  }

  dismiss(): void {
    this.current = null;
    this.reason = null;
  }

  private set(next: RestartNoticeState): RestartNoticeState | null {
    if (this.current?.text === next.text && this.current.alarming === next.alarming) return null;
    this.current = next;
    return next;
  }
}
