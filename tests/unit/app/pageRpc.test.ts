import { describe, expect, it } from 'vitest';
import { createIpcTransport } from '../../../src-main/app/ipcTransport';
import { servePageRpc } from '../../../src-main/app/pageRpc';
import { bridgeIpcChannel } from '../../../src-main/shared/bridgeApi';
import { z } from 'zod';
import { ok } from '../../../src-main/shared/result';
import { defineContract } from '../../../src-main/shared/rpc/contractDef';
import type { ServiceHandlers } from '../../../src-main/shared/rpc/server';
import { FakeIpcMain, FakeWebContents } from './fakeElectron';

/** A small contract of the same shape as the app's: one call, one stream. */
const empty = z.object({}).strict();
const statusSchema = z.object({ state: z.string() });
const testContract = defineContract({
  calls: { 'app.info': { params: empty, result: z.object({ host: z.string() }) }, 'trainer.status': { params: empty, result: statusSchema } },
  streams: { 'trainer.statusUpdates': { params: empty, event: statusSchema } },
});
const status = { state: 'ready' };

function setup() {
  const cancelled: string[] = [];
  const services: ServiceHandlers<typeof testContract> = {
    calls: {
      'app.info': () => ok({ host: 'electron' }),
      'trainer.status': () => ok(status),
    },
    streams: {
      'trainer.statusUpdates': (_params, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(status);
          signal.onCancel(() => {
            cancelled.push('statusUpdates');
            resolve();
          });
        }),
    },
  };
  const ipcMain = new FakeIpcMain();
  const contents = new FakeWebContents();
  const transport = createIpcTransport({ ipcMain: ipcMain.asIpcMain(), contents: contents.asPage(), log: () => undefined });
  const server = servePageRpc({ transport, contract: testContract, services, log: () => undefined });
  return { ipcMain, contents, cancelled, server };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('page RPC', () => {
  it('answers calls from the page', async () => {
    const { ipcMain, contents } = setup();
    ipcMain.deliver(bridgeIpcChannel, { t: 'call', id: 1, method: 'app.info', params: {} });
    await settle();
    expect(contents.sent[0]?.message).toMatchObject({ t: 'reply', id: 1, result: { ok: true, value: { host: 'electron' } } });
  });

  it("cancels the old page's streams on reload and keeps serving the new page", async () => {
    const { ipcMain, contents, cancelled } = setup();
    ipcMain.deliver(bridgeIpcChannel, { t: 'listen', runId: 'old-1', stream: 'trainer.statusUpdates', params: {} });
    await settle();
    expect(contents.sent.map((s) => s.message)).toContainEqual({ t: 'event', runId: 'old-1', event: status });
    contents.emit('did-navigate', {}, 'app://macl/index.html', -1, '');
    await settle();
    expect(cancelled).toEqual(['statusUpdates']);
    contents.sent.length = 0;
    ipcMain.deliver(bridgeIpcChannel, { t: 'call', id: 2, method: 'trainer.status', params: {} });
    await settle();
    expect(contents.sent.map((s) => s.message)).toContainEqual({ t: 'reply', id: 2, result: { ok: true, value: status } });
  });

  it('stops when the window goes away', async () => {
    const { ipcMain, contents, cancelled } = setup();
    ipcMain.deliver(bridgeIpcChannel, { t: 'listen', runId: 'r', stream: 'trainer.statusUpdates', params: {} });
    await settle();
    contents.destroyed = true;
    contents.emit('destroyed');
    await settle();
    expect(cancelled).toEqual(['statusUpdates']);
    expect(ipcMain.listenerCount(bridgeIpcChannel)).toBe(0);
  });
});
