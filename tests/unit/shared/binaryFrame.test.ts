/**
 * The browser host's WebSocket framing for messages with bytes: a message
 * without bytes stays one JSON text frame; one with bytes becomes one binary
 * frame whose byte arrays come back equal, as views into the frame; frames
 * that lie about their sizes are refused, and a "$bytes" object in a text
 * frame stays plain data.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src-main/shared/rpc/binaryFrame';

describe('binary frames', () => {
  it('keeps a message without bytes a JSON text frame', () => {
    const frame = encodeFrame({ t: 'call', id: 1, method: 'app.info', params: {} });
    expect(frame).toBe('{"t":"call","id":1,"method":"app.info","params":{}}');
    expect(decodeFrame(frame)).toEqual({ t: 'call', id: 1, method: 'app.info', params: {} });
  });

  it('carries several byte arrays, nested anywhere, back as equal Uint8Arrays that view the frame', () => {
    const a = Uint8Array.from([1, 2, 3, 250]);
    const b = new Uint8Array(1000).map((_, i) => i % 251);
    const empty = new Uint8Array(0);
    const frame = encodeFrame({ t: 'event', runId: 'r1', event: { kind: 'slice', runs: a, more: [{ x: b }, empty], text: 'é ok' } });
    expect(frame).toBeInstanceOf(Uint8Array);
    const bytes = frame as Uint8Array;
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MACL');
    // Bytes are not base64-inflated: the frame is the payload plus a small JSON header.
    expect(bytes.byteLength).toBeLessThan(a.byteLength + b.byteLength + 200);
    const decoded = decodeFrame(bytes) as { t: string; event: { runs: Uint8Array; more: [{ x: Uint8Array }, Uint8Array]; text: string } };
    expect(decoded.t).toBe('event');
    expect(decoded.event.text).toBe('é ok');
    expect(decoded.event.runs).toBeInstanceOf(Uint8Array);
    expect([...decoded.event.runs]).toEqual([...a]);
    expect([...decoded.event.more[0].x]).toEqual([...b]);
    expect(decoded.event.more[1].byteLength).toBe(0);
    expect(decoded.event.runs.buffer).toBe(bytes.buffer);
  });

  it('refuses frames that are not ours or lie about their sizes', () => {
    expect(() => decodeFrame(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/not a MACL frame/);
    expect(() => decodeFrame(new Uint8Array(4))).toThrow(/not a MACL frame/);
    const good = encodeFrame({ t: 'event', runId: 'r', event: new Uint8Array(8) }) as Uint8Array;
    const longJson = good.slice();
    new DataView(longJson.buffer).setUint32(4, 10_000, true);
    expect(() => decodeFrame(longJson)).toThrow(/runs past the frame/);
    expect(() => decodeFrame(good.subarray(0, good.byteLength - 4))).toThrow(/lie past its 4 bytes of data/);
  });

  it('leaves a "$bytes" object in a text frame as plain data', () => {
    expect(decodeFrame('{"event":{"$bytes":[0,4]}}')).toEqual({ event: { $bytes: [0, 4] } });
  });
});
