/**
 * The interactive session's control requests: answered only once the loop has
 * served them, in their order; a failure answers its own request only; a cancel
 * or reset interrupts the loop's work, a save does not; the session's end
 * fails what still waits.
 */
import { describe, expect, it } from 'vitest';
import { ControlRequests, type ServedControl } from '../../../../src-main/trainer/jobs/interactiveRequests';

/** Whether `promise` has settled (after the pending microtasks ran). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ControlRequests', () => {
  it('answers each request once served, in order, and a failure answers only its own request', async () => {
    const requests = new ControlRequests();
    const save = requests.add('save');
    expect(requests.interrupting).toBe(false);
    const cancel = requests.add('cancel');
    expect(requests.interrupting).toBe(true);
    const reset = requests.add('reset');
    expect(await settled(save)).toBe(false);

    const served: ServedControl[] = [];
    await requests.serveAll(async (action) => {
      served.push(action);
      if (action === 'cancel') throw new Error('cancel failed');
    });
    expect(served).toEqual(['save', 'cancel', 'reset']);
    await expect(save).resolves.toBeUndefined();
    await expect(cancel).rejects.toThrow('cancel failed');
    await expect(reset).resolves.toBeUndefined();
    expect(requests.interrupting).toBe(false);
  });

  it('fails what still waits when the session ends', async () => {
    const requests = new ControlRequests();
    const reset = requests.add('reset');
    requests.failAll();
    await expect(reset).rejects.toThrow('The session ended before the request was served.');
    expect(requests.interrupting).toBe(false);
    // Nothing is left to serve.
    let calls = 0;
    await requests.serveAll(async () => {
      calls += 1;
    });
    expect(calls).toBe(0);
  });
});
