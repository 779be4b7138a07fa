import { describe, expect, it } from 'vitest';
import type { MaclBridgeApi } from '../../src-main/shared/bridgeApi';
import type { WireMessage } from '../../src-main/shared/rpc/wire';
import { connectionOverTransport } from '../../src-renderer/bridge/appConnection';
import { createElectronTransport, findPreloadBridge } from '../../src-renderer/bridge/electronTransport';

function fakePreload() {
  const sent: WireMessage[] = [];
  const listeners = new Set<(message: unknown) => void>();
  const api: MaclBridgeApi = {
    send: (message) => sent.push(message),
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api, sent, listeners, deliver: (message: unknown) => listeners.forEach((listener) => listener(message)) };
}

describe('Electron preload bridge', () => {
  it('is found only when window.maclBridge has the expected shape', () => {
    const { api } = fakePreload();
    expect(findPreloadBridge({ maclBridge: api })).toBe(api);
    expect(findPreloadBridge({})).toBeNull();
    expect(findPreloadBridge({ maclBridge: { send: 'nope' } })).toBeNull();
  });

  it('passes messages through without JSON and detaches on close', async () => {
    const preload = fakePreload();
    const connection = connectionOverTransport(createElectronTransport(preload.api), 'electron');
    expect(connection.status().state).toBe('open');
    expect(connection.shell).toBe('electron');
    const pending = connection.call('trainer.restart', {});
    const [call] = preload.sent;
    expect(call).toMatchObject({ t: 'call', method: 'trainer.restart', params: {} });
    preload.deliver({ t: 'reply', id: call?.t === 'call' ? call.id : -1, result: { ok: false, error: { code: 'unavailable', message: 'busy' } } });
    expect(await pending).toEqual({ ok: false, error: { code: 'unavailable', message: 'busy' } });

    connection.close();
    expect(preload.listeners.size).toBe(0);
  });
});
