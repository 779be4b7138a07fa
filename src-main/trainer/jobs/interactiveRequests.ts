/**
 * The control requests of an interactive session that its loop serves at the
 * next safe point, between two steps or two inference batches: cancel, reset
 * and save. Each is answered once served, so no event of cancelled work
 * follows the answer on the channel; those still waiting when the session ends
 * fail with an error saying so.
 */
export type ServedControl = 'cancel' | 'reset' | 'save';

interface Request {
  readonly action: ServedControl;
  readonly done: (error?: unknown) => void;
}

export class ControlRequests {
  private readonly waiting: Request[] = [];

  /** Queues `action`: resolves once the loop has served it, rejects with what went wrong. */
  add(action: ServedControl): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ action, done: (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error)))) });
    });
  }

  /** True while a cancel or reset waits: the loop drops the work it is doing (a save does not interrupt it). */
  get interrupting(): boolean {
    return this.waiting.some((request) => request.action !== 'save');
  }

  /** Serves the waiting requests in their order (`serve` does each one) and answers each with its outcome. */
  async serveAll(serve: (action: ServedControl) => Promise<void>): Promise<void> {
    while (this.waiting.length > 0) {
      const request = this.waiting.shift() as Request;
      try {
        await serve(request.action);
        request.done();
      } catch (thrown) {
        request.done(thrown);
      }
    }
  }

  /** Fails every waiting request: the session ended before serving them. */
  failAll(): void {
    for (const request of this.waiting.splice(0)) request.done(new Error('The session ended before the request was served.'));
  }
}
