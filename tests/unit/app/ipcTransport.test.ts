import { describe, expect, it } from 'vitest';
import { createIpcTransport } from '../../../src-main/app/ipcTransport';
import { bridgeIpcChannel } from '../../../src-main/shared/bridgeApi';
import { appFrame, FakeIpcMain, FakeWebContents } from './fakeElectron';

function setup() {
  const ipcMain = new FakeIpcMain();
  const contents = new FakeWebContents();
  const logged: string[] = [];
  const transport = createIpcTransport({ ipcMain: ipcMain.asIpcMain(), contents: contents.asPage(), log: (line) => logged.push(line) });
  const received: unknown[] = [];
  transport.onMessage((message) => received.push(message));
  return { ipcMain, contents, logged, transport, received };
}

describe('IPC transport', () => {
  it('passes messages from the window main frame and sends on the same channel', () => {
    const { ipcMain, contents, transport, received } = setup();
    ipcMain.deliver(bridgeIpcChannel, { t: 'call', id: 1 });
    expect(received).toEqual([{ t: 'call', id: 1 }]);
    transport.send({ t: 'reply', id: 1, result: { ok: true, value: 1 } });
    expect(contents.sent).toEqual([{ channel: bridgeIpcChannel, message: { t: 'reply', id: 1, result: { ok: true, value: 1 } } }]);
  });

  it('drops and logs messages from untrusted senders', () => {
    const { ipcMain, logged, received } = setup();
    ipcMain.deliver(bridgeIpcChannel, { t: 'call' }, { ...appFrame, parent: appFrame, routingId: 5 });
    ipcMain.deliver(bridgeIpcChannel, { t: 'call' }, appFrame, 99);
    ipcMain.deliver(bridgeIpcChannel, { t: 'call' }, null);
    expect(received).toEqual([]);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toContain('sub-frame');
  });

  it('drops a message from the main frame once it left the app origin', () => {
    const { ipcMain, contents, received } = setup();
    const elsewhere = { ...appFrame, url: 'https://example.com/' };
    contents.mainFrame = elsewhere;
    ipcMain.deliver(bridgeIpcChannel, { t: 'call' }, elsewhere);
    expect(received).toEqual([]);
  });

  it('drops messages with extra arguments', () => {
    const { ipcMain, received } = setup();
    ipcMain.emit(bridgeIpcChannel, { sender: { id: 11 }, senderFrame: appFrame }, { t: 'call' }, 'extra');
    expect(received).toEqual([]);
  });

  it('reports page changes, but only main-frame reloads and renderer deaths', () => {
    const { contents, transport } = setup();
    const changes: string[] = [];
    transport.onPageChange((change) => changes.push(change));
    contents.emit('did-navigate', {}, 'app://macl/index.html', -1, '');
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(changes).toEqual(['navigated', 'renderer-gone']);
  });

  it('closes when the web contents is destroyed, and removes its listeners', () => {
    const { ipcMain, contents, transport, received } = setup();
    const reasons: string[] = [];
    transport.onClose((reason) => reasons.push(reason));
    contents.destroyed = true;
    contents.emit('destroyed');
    expect(reasons).toEqual(['window closed']);
    expect(ipcMain.listenerCount(bridgeIpcChannel)).toBe(0);
    expect(contents.listenerCount('did-navigate')).toBe(0);
    ipcMain.deliver(bridgeIpcChannel, { t: 'call' });
    transport.send({ t: 'cancel', runId: 'x' });
    expect(received).toEqual([]);
    expect(contents.sent).toEqual([]);
    transport.close('again');
    expect(reasons).toHaveLength(1);
  });
});
