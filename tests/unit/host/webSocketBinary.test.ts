/**
 * Label runs cross the browser host's WebSocket as binary frames, both ways:
 * the host's transport sends an event carrying bytes (a predicted slice) as
 * one binary frame, and the page's transport (here over the `ws` client,
 * which has the DOM's addEventListener and binaryType) receives the same
 * bytes as a Uint8Array; the page's call carrying bytes (a label edit) reaches
 * the host the same way; messages without bytes stay text frames.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createWebSocketTransport as hostTransport } from '../../../src-main/host/webSocketTransport';
import { createWebSocketTransport as pageTransport, type WebSocketLike } from '../../../src-renderer/bridge/webSocketTransport';

let server: WebSocketServer | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

describe('binary WebSocket frames between the host and the page', () => {
  it('streams bytes as one binary frame and text messages as text frames', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const accepted = once(server, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await once(client, 'open');
    const [socket] = (await accepted) as [WebSocket];

    const frameKinds: boolean[] = [];
    client.on('message', (_data, isBinary) => frameKinds.push(isBinary));
    const hostToPage: unknown[] = [];
    const pageToHost: unknown[] = [];
    const host = hostTransport(socket);
    host.onMessage((message) => pageToHost.push(message));
    const page = pageTransport(client as unknown as WebSocketLike);
    page.onMessage((message) => hostToPage.push(message));

    const runs = new Uint8Array(9 * 3).map((_, i) => (i * 7) % 256);
    host.send({ t: 'event', runId: 'run-1', event: { kind: 'slice', k: 4, runs } });
    host.send({ t: 'end', runId: 'run-1', reason: 'done' });
    page.send({ t: 'cancel', runId: 'run-2' });
    const edit = new Uint8Array(9 * 2).map((_, i) => 255 - i);
    page.send({ t: 'call', id: 7, method: 'labels.apply', params: { changes: [{ layer: 'strokes', runs: edit }] } });
    await expect.poll(() => hostToPage.length).toBe(2);
    await expect.poll(() => pageToHost.length).toBe(2);

    expect(frameKinds).toEqual([true, false]);
    const event = (hostToPage[0] as { event: { runs: unknown; k: number } }).event;
    expect(event.k).toBe(4);
    expect(event.runs).toBeInstanceOf(Uint8Array);
    expect([...(event.runs as Uint8Array)]).toEqual([...runs]);
    expect(hostToPage[1]).toEqual({ t: 'end', runId: 'run-1', reason: 'done' });
    expect(pageToHost[0]).toEqual({ t: 'cancel', runId: 'run-2' });
    const sentRuns = (pageToHost[1] as { params: { changes: Array<{ runs: unknown }> } }).params.changes[0]?.runs;
    expect(sentRuns).toBeInstanceOf(Uint8Array);
    expect([...(sentRuns as Uint8Array)]).toEqual([...edit]);
    client.close();
  });
});
