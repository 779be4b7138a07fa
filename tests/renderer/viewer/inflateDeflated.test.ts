// @vitest-environment node
// (Node's own Blob, Response and DecompressionStream, as in Chromium.)
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflatedSyntax, explicitLittleSyntax, inflateIfDeflated } from '../../../src-renderer/viewer/inflateDeflated';

/** One explicit VR little endian element with a short (2-byte) length. */
function element(group: number, number: number, vr: string, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, number, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  view.setUint16(6, value.length, true);
  out.set(value, 8);
  return out;
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text.length % 2 === 0 ? text : `${text}\0`, (char) => char.charCodeAt(0));
const concat = (parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** A Part 10 file: preamble, DICM, meta group with `syntax`, then `dataset` (deflated when the syntax says so). */
function part10(syntax: string, dataset: Uint8Array): ArrayBuffer {
  const meta = [element(2, 0x0002, 'UI', ascii('1.2.840.10008.5.1.4.1.1.7')), element(2, 0x0010, 'UI', ascii(syntax))];
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, meta.reduce((sum, part) => sum + part.length, 0), true);
  const body = syntax === deflatedSyntax ? new Uint8Array(deflateRawSync(dataset)) : dataset;
  return concat([new Uint8Array(128), ascii('DICM'), element(2, 0, 'UL', length), ...meta, body]).buffer;
}

const dataset = concat([element(0x0010, 0x0010, 'PN', ascii('Deflated^Test')), element(0x0028, 0x0010, 'US', new Uint8Array([4, 0]))]);

describe('inflateIfDeflated', () => {
  it('inflates a deflated dataset and relabels it explicit VR little endian with a correct group length', async () => {
    const out = new Uint8Array(await inflateIfDeflated(part10(deflatedSyntax, dataset)));
    const text = String.fromCharCode(...out);
    expect(text.slice(128, 132)).toBe('DICM');
    expect(text).toContain(explicitLittleSyntax);
    expect(text).not.toContain(deflatedSyntax);
    const view = new DataView(out.buffer);
    const groupLength = view.getUint32(140, true);
    const metaEnd = 144 + groupLength;
    expect(view.getUint16(metaEnd, true)).toBe(0x0010); // the dataset starts right after the meta group
    expect(out.subarray(metaEnd, metaEnd + dataset.length)).toEqual(dataset);
  });

  it('passes any other file through untouched', async () => {
    const plain = part10(explicitLittleSyntax, dataset);
    expect(await inflateIfDeflated(plain)).toBe(plain);
    const notPart10 = new Uint8Array([1, 2, 3]).buffer;
    expect(await inflateIfDeflated(notPart10)).toBe(notPart10);
  });
});
