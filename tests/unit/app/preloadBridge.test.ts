import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createBridgeApi, type IpcRendererLike } from '../../../src-main/app/preloadBridge';
import { bridgeIpcChannel } from '../../../src-main/shared/bridgeApi';
import type { WireMessage } from '../../../src-main/shared/rpc/wire';

class FakeIpcRenderer extends EventEmitter {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
}

function setup(): { fake: FakeIpcRenderer; api: ReturnType<typeof createBridgeApi> } {
  const fake = new FakeIpcRenderer();
  return { fake, api: createBridgeApi(fake as unknown as IpcRendererLike) };
}

describe('preload bridge', () => {
  it('exposes exactly send and onMessage, frozen', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual(['onMessage', 'send']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends RPC messages on the single channel', () => {
    const { fake, api } = setup();
    const message: WireMessage = { t: 'call', id: 1, method: 'app.info', params: {} };
    api.send(message);
    expect(fake.sent).toEqual([{ channel: bridgeIpcChannel, args: [message] }]);
  });

  it.each([null, undefined, 'call', 42, [], { id: 1 }, { t: 3 }])('refuses to send %j', (bad) => {
    const { fake, api } = setup();
    expect(() => api.send(bad as unknown as WireMessage)).toThrow(TypeError);
    expect(fake.sent).toEqual([]);
  });

  it('delivers only the payload, never the IPC event, and unsubscribes', () => {
    const { fake, api } = setup();
    const received: unknown[][] = [];
    const off = api.onMessage((...args: unknown[]) => received.push(args));
    const event = { sender: fake, senderId: 0 };
    fake.emit(bridgeIpcChannel, event, { t: 'reply', id: 1 });
    expect(received).toEqual([[{ t: 'reply', id: 1 }]]);
    off();
    fake.emit(bridgeIpcChannel, event, { t: 'reply', id: 2 });
    expect(received).toHaveLength(1);
    expect(fake.listenerCount(bridgeIpcChannel)).toBe(0);
  });

  it('ignores other channels', () => {
    const { fake, api } = setup();
    const received: unknown[] = [];
    api.onMessage((message) => received.push(message));
    fake.emit('some-other-channel', {}, { t: 'reply' });
    expect(received).toEqual([]);
  });
});

describe('preload bridge: dropped-file paths', () => {
  it('answers the path of a dropped File and refuses anything else', () => {
    const api = createBridgeApi(new FakeIpcRenderer() as unknown as IpcRendererLike, (file) => `/scans/${file.name}`);
    expect(Object.keys(api).sort()).toEqual(['onMessage', 'pathForFile', 'send']);
    expect(api.pathForFile?.(new File(['x'], 'brain_001.dcm'))).toBe('/scans/brain_001.dcm');
    expect(() => api.pathForFile?.('/etc/passwd')).toThrow('expects a dropped File');
    expect(() => api.pathForFile?.({ name: 'fake' })).toThrow('expects a dropped File');
  });
});
