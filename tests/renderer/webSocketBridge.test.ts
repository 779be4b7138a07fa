import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppConnection, type AppConnection } from '../../src-renderer/bridge/appConnection';
import { backoffDelay } from '../../src-renderer/bridge/backoff';
import type { ConnectionStatus } from '../../src-renderer/bridge/connectionState';
import { createWebSocketLink, rpcUrlFor } from '../../src-renderer/bridge/webSocketLink';
import { createWebSocketTransport } from '../../src-renderer/bridge/webSocketTransport';
import { fakeInfo, makeStatus } from './support/fakeApp';
import { FakeWebSocket } from './support/fakeWebSocket';

const url = 'ws://127.0.0.1:4000/rpc';
let connection: AppConnection | null = null;

function connect(): { connection: AppConnection; statuses: ConnectionStatus[] } {
  const statuses: ConnectionStatus[] = [];
  const created = createAppConnection(createWebSocketLink({ url, createSocket: (target) => new FakeWebSocket(target) }));
  created.onStatus((status) => statuses.push(status));
  connection = created;
  return { connection: created, statuses };
}

/** Answers the client's pending call frames from the given socket. */
function answerCalls(socket: FakeWebSocket, value: unknown): void {
  for (const message of socket.sentMessages()) {
    if (message.t === 'call') socket.receiveMessage({ t: 'reply', id: message.id, result: { ok: true, value } });
  }
}

beforeEach(() => FakeWebSocket.reset());
afterEach(() => {
  connection?.close();
  connection = null;
  vi.useRealTimers();
});

describe('rpcUrlFor', () => {
  it('uses the page origin, ws for http and wss for https', () => {
    expect(rpcUrlFor({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/rpc');
    expect(rpcUrlFor({ protocol: 'https:', host: 'localhost:8443' })).toBe('wss://localhost:8443/rpc');
  });
});

describe('WebSocket transport framing', () => {
  it('sends JSON text frames and parses incoming text frames to plain values', () => {
    const socket = new FakeWebSocket(url);
    socket.accept();
    const transport = createWebSocketTransport(socket);
    const received: unknown[] = [];
    transport.onMessage((message) => received.push(message));

    transport.send({ t: 'call', id: 7, method: 'app.info', params: {} });
    expect(socket.sent).toEqual(['{"t":"call","id":7,"method":"app.info","params":{}}']);

    socket.receive('{"t":"reply","id":7,"result":{"ok":true,"value":1}}');
    socket.receive('not json');
    socket.receive(new ArrayBuffer(4));
    expect(received).toEqual([{ t: 'reply', id: 7, result: { ok: true, value: 1 } }]);
  });

  it('reports its close once, with the reason, and sends nothing afterwards', () => {
    const socket = new FakeWebSocket(url);
    socket.accept();
    const transport = createWebSocketTransport(socket);
    const reasons: string[] = [];
    transport.onClose((reason) => reasons.push(reason));
    socket.drop(1011, 'host shutting down');
    socket.drop(1011, 'again');
    transport.send({ t: 'cancel', runId: 'r-1' });
    expect(reasons).toEqual(['host shutting down']);
    expect(socket.sent).toEqual([]);
  });

  it('names the close code when the close has no reason', () => {
    const socket = new FakeWebSocket(url);
    socket.accept();
    const reasons: string[] = [];
    createWebSocketTransport(socket).onClose((reason) => reasons.push(reason));
    socket.drop(1006);
    expect(reasons).toEqual(['WebSocket closed (code 1006)']);
  });
});

describe('backoff', () => {
  it('doubles from 500 ms and stops at 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
});

describe('app connection over the WebSocket link', () => {
  it('connects to the same-origin /rpc URL and answers calls over JSON frames', async () => {
    const { connection: app, statuses } = connect();
    const socket = FakeWebSocket.latest();
    expect(socket.url).toBe(url);
    expect(app.status().state).toBe('connecting');
    expect(app.shell).toBe('browser');

    socket.accept();
    expect(statuses.map((status) => status.state)).toEqual(['open']);
    const pending = app.call('app.info', {});
    const [frame] = socket.sentMessages();
    expect(frame).toMatchObject({ t: 'call', method: 'app.info', params: {} });
    answerCalls(socket, fakeInfo);
    expect(await pending).toEqual({ ok: true, value: fakeInfo });
  });

  it('reconnects with growing delays while the host is down, and resets them once open', () => {
    vi.useFakeTimers();
    const { connection: app, statuses } = connect();
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().drop(1006);
    expect(app.status()).toEqual({ state: 'lost', reason: 'WebSocket closed (code 1006)', retryInMs: 500 });

    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    FakeWebSocket.latest().refuse();
    expect(app.status().retryInMs).toBe(1000);
    vi.advanceTimersByTime(1000);
    FakeWebSocket.latest().refuse();
    expect(app.status().retryInMs).toBe(2000);
    vi.advanceTimersByTime(2000);
    expect(FakeWebSocket.instances).toHaveLength(4);
    // Stays "lost" (no flicker through "connecting") until an attempt succeeds.
    expect(app.status().state).toBe('lost');

    FakeWebSocket.latest().accept();
    expect(app.status().state).toBe('open');
    FakeWebSocket.latest().drop(1001, 'going away');
    expect(app.status()).toEqual({ state: 'lost', reason: 'going away', retryInMs: 500 });
    expect(statuses.map((status) => status.state)).toEqual(['open', 'lost', 'lost', 'lost', 'open', 'lost']);
  });

  it('fails calls at once while disconnected, and fails the pending ones when the socket drops', async () => {
    const { connection: app } = connect();
    const early = await app.call('trainer.status', {});
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.error.code).toBe('unavailable');

    FakeWebSocket.latest().accept();
    const pending = app.call('trainer.status', {});
    FakeWebSocket.latest().drop();
    const dropped = await pending;
    expect(dropped.ok).toBe(false);
    if (!dropped.ok) expect(dropped.error.code).toBe('unavailable');
  });

  it('listens to a followed stream again after reconnecting', async () => {
    vi.useFakeTimers();
    const { connection: app } = connect();
    const events: string[] = [];
    const ends: unknown[] = [];
    const unfollow = app.follow('trainer.statusUpdates', {}, {
      onEvent: (status) => events.push(status.state),
      onEnd: (end) => ends.push(end),
    });
    const first = FakeWebSocket.latest();
    first.accept();
    const [listen1] = first.sentMessages();
    expect(listen1).toMatchObject({ t: 'listen', stream: 'trainer.statusUpdates' });
    first.receiveMessage({ t: 'event', runId: listen1?.runId, event: makeStatus({ state: 'ready' }) });

    first.drop();
    vi.advanceTimersByTime(500);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    second.accept();
    const [listen2] = second.sentMessages();
    expect(listen2).toMatchObject({ t: 'listen', stream: 'trainer.statusUpdates' });
    expect(listen2?.runId).not.toBe(listen1?.runId);
    second.receiveMessage({ t: 'event', runId: listen2?.runId, event: makeStatus({ state: 'probing' }) });
    // An event for the old run id is not delivered.
    second.receiveMessage({ t: 'event', runId: listen1?.runId, event: makeStatus({ state: 'failed' }) });
    await vi.runAllTimersAsync();
    expect(events).toEqual(['ready', 'probing']);
    // The drop is not reported as the stream's end: the follow goes on.
    expect(ends).toEqual([]);

    unfollow();
    expect(second.sentMessages().at(-1)).toEqual({ t: 'cancel', runId: listen2?.runId });
  });

  it('an event that breaks the contract ends the stream with a reported error', async () => {
    const { connection: app } = connect();
    const ends: Array<{ reason: string }> = [];
    app.follow('trainer.statusUpdates', {}, { onEvent: () => undefined, onEnd: (end) => ends.push(end) });
    const socket = FakeWebSocket.latest();
    socket.accept();
    const [listen] = socket.sentMessages();
    socket.receiveMessage({ t: 'event', runId: listen?.runId, event: { state: 'exploded' } });
    await vi.waitFor(() => expect(ends).toHaveLength(1));
    expect(ends[0]?.reason).toBe('failed');
  });

  it('close() closes the socket normally and never reconnects', () => {
    vi.useFakeTimers();
    const { connection: app, statuses } = connect();
    const socket = FakeWebSocket.latest();
    socket.accept();
    app.close();
    expect(socket.closedWith?.code).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(statuses.map((status) => status.state)).toEqual(['open']);
    connection = null;
  });
});
