import { describe, expect, it } from 'vitest';
import { createTransportListeners } from '../../src-main/shared/rpc/transportListeners';

describe('transport listeners', () => {
  it('delivers to every listener until unsubscribed', () => {
    const hub = createTransportListeners();
    const a: unknown[] = [];
    const b: unknown[] = [];
    hub.onMessage((m) => a.push(m));
    const offB = hub.onMessage((m) => b.push(m));
    hub.deliver(1);
    offB();
    hub.deliver(2);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1]);
  });

  it('closes exactly once and delivers nothing afterwards', () => {
    const hub = createTransportListeners();
    const reasons: string[] = [];
    const messages: unknown[] = [];
    hub.onClose((r) => reasons.push(r));
    hub.onMessage((m) => messages.push(m));
    hub.finish('socket closed');
    hub.finish('again');
    hub.deliver('late');
    expect(hub.closed).toBe(true);
    expect(reasons).toEqual(['socket closed']);
    expect(messages).toEqual([]);
  });
});
