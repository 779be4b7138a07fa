/**
 * A sequential (baseline and extended, Huffman) DCT JPEG decoder for 8- and
 * 12-bit samples. DICOM's JPEG Extended transfer syntax carries 12-bit CT,
 * NM and XA images, which the 8-bit libjpeg-turbo codec cannot decode. The
 * inverse DCT is libjpeg's integer "islow" algorithm, bit for bit, so the
 * output matches libjpeg-based decoders (GDCM, DCMTK) exactly. Components
 * are returned interleaved without colour conversion (12-bit DICOM JPEG is
 * monochrome). Progressive and arithmetic-coded JPEG are refused.
 */

import { BitReader, buildHuffman, decodeBlock, zigzag, type Component, type HuffmanTable } from './jpegHuffman';
import { idctBlock } from './jpegIdct';

export interface JpegDctImage {
  readonly width: number;
  readonly height: number;
  readonly precision: number;
  readonly components: number;
  /** Interleaved samples: Uint8Array for 8-bit, Uint16Array for 12-bit. */
  readonly pixels: Uint8Array | Uint16Array;
}

const u16 = (data: Uint8Array, at: number): number => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);

/** Decodes a sequential Huffman DCT JPEG (SOF0/SOF1), 8 or 12 bits per sample. */
export function decodeJpegDct(data: Uint8Array): JpegDctImage {
  if (u16(data, 0) !== 0xffd8) throw new Error('JPEG: missing SOI marker');
  const quantTables: Uint16Array[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let precision = 8;
  let restartInterval = 0;
  let hMax = 1;
  let vMax = 1;
  let pos = 2;
  while (pos < data.length) {
    const marker = u16(data, pos);
    pos += 2;
    if (marker === 0xffd9) break;
    if (marker >= 0xffd0 && marker <= 0xffd7) continue;
    if (marker === 0xffff) { pos--; continue; } // fill byte
    const length = u16(data, pos);
    const end = pos + length;
    if (marker === 0xffdb) {
      for (let p = pos + 2; p < end; ) {
        const pq = (data[p] ?? 0) >> 4;
        const tq = (data[p] ?? 0) & 15;
        p++;
        const table = new Uint16Array(64);
        for (let i = 0; i < 64; i++) {
          table[zigzag[i] ?? 0] = pq === 0 ? (data[p] ?? 0) : u16(data, p);
          p += pq === 0 ? 1 : 2;
        }
        quantTables[tq] = table;
      }
    } else if (marker === 0xffc4) {
      for (let p = pos + 2; p < end; ) {
        const tc = (data[p] ?? 0) >> 4;
        const th = (data[p] ?? 0) & 15;
        const counts = data.slice(p + 1, p + 17);
        const total = counts.reduce((sum, count) => sum + count, 0);
        const table = buildHuffman(counts, data.slice(p + 17, p + 17 + total));
        (tc === 0 ? dcTables : acTables)[th] = table;
        p += 17 + total;
      }
    } else if (marker === 0xffc0 || marker === 0xffc1) {
      precision = data[pos + 2] ?? 8;
      height = u16(data, pos + 3);
      width = u16(data, pos + 5);
      const count = data[pos + 7] ?? 0;
      components = [];
      for (let i = 0; i < count; i++) {
        const at = pos + 8 + i * 3;
        const sampling = data[at + 1] ?? 0x11;
        components.push({ id: data[at] ?? 0, h: sampling >> 4, v: sampling & 15, tq: data[at + 2] ?? 0, blocksPerLine: 0, blocksPerColumn: 0, coefficients: new Int32Array(0), pred: 0, dcTable: undefined, acTable: undefined });
      }
      hMax = Math.max(...components.map((c) => c.h));
      vMax = Math.max(...components.map((c) => c.v));
      const mcusX = Math.ceil(width / (8 * hMax));
      const mcusY = Math.ceil(height / (8 * vMax));
      for (const c of components) {
        c.blocksPerLine = mcusX * c.h;
        c.blocksPerColumn = mcusY * c.v;
        c.coefficients = new Int32Array(c.blocksPerLine * c.blocksPerColumn * 64);
      }
    } else if (marker >= 0xffc2 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
      throw new Error(`JPEG: SOF marker 0x${marker.toString(16)} (progressive, lossless or arithmetic) is not a sequential Huffman DCT image`);
    } else if (marker === 0xffdd) {
      restartInterval = u16(data, pos + 2);
    } else if (marker === 0xffda) {
      const count = data[pos + 2] ?? 0;
      const scan: Component[] = [];
      for (let i = 0; i < count; i++) {
        const id = data[pos + 3 + i * 2] ?? 0;
        const tables = data[pos + 4 + i * 2] ?? 0;
        const component = components.find((c) => c.id === id);
        if (component === undefined) throw new Error(`JPEG: scan names unknown component ${id}`);
        component.dcTable = dcTables[tables >> 4];
        component.acTable = acTables[tables & 15];
        component.pred = 0;
        scan.push(component);
      }
      pos = decodeScan(data, end, scan, width, height, hMax, vMax, restartInterval);
      continue;
    }
    pos = end;
  }
  if (components.length === 0 || width === 0 || height === 0) throw new Error('JPEG: no frame header (SOF0/SOF1) found');
  return assemble(components, quantTables, width, height, precision, hMax, vMax);
}

function decodeScan(data: Uint8Array, start: number, scan: Component[], width: number, height: number, hMax: number, vMax: number, restartInterval: number): number {
  const reader = new BitReader(data, start);
  const single = scan.length === 1 ? scan[0] : undefined;
  const mcusX = single !== undefined ? Math.ceil(Math.ceil((width * single.h) / hMax) / 8) : Math.ceil(width / (8 * hMax));
  const mcusY = single !== undefined ? Math.ceil(Math.ceil((height * single.v) / vMax) / 8) : Math.ceil(height / (8 * vMax));
  const total = mcusX * mcusY;
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      reader.restart();
      for (const c of scan) c.pred = 0;
    }
    const mx = mcu % mcusX;
    const my = Math.floor(mcu / mcusX);
    if (single !== undefined) {
      decodeBlock(reader, single, (my * single.blocksPerLine + mx) * 64);
      continue;
    }
    for (const c of scan) {
      for (let v = 0; v < c.v; v++) {
        for (let h = 0; h < c.h; h++) decodeBlock(reader, c, ((my * c.v + v) * c.blocksPerLine + mx * c.h + h) * 64);
      }
    }
  }
  // Continue after the entropy-coded segment: the next marker that is not RSTn or stuffing.
  let pos = reader.position;
  while (pos + 1 < data.length && !(data[pos] === 0xff && (data[pos + 1] ?? 0) !== 0 && ((data[pos + 1] ?? 0) < 0xd0 || (data[pos + 1] ?? 0) > 0xd7))) pos++;
  return pos;
}

function assemble(components: Component[], quantTables: Uint16Array[], width: number, height: number, precision: number, hMax: number, vMax: number): JpegDctImage {
  const n = components.length;
  const pixels = precision > 8 ? new Uint16Array(width * height * n) : new Uint8Array(width * height * n);
  components.forEach((c, index) => {
    const quant = quantTables[c.tq];
    if (quant === undefined) throw new Error(`JPEG: quantisation table ${c.tq} missing`);
    const planeWidth = c.blocksPerLine * 8;
    const plane = new Uint16Array(planeWidth * c.blocksPerColumn * 8);
    for (let by = 0; by < c.blocksPerColumn; by++) {
      for (let bx = 0; bx < c.blocksPerLine; bx++) idctBlock(c.coefficients, (by * c.blocksPerLine + bx) * 64, quant, precision, plane, planeWidth, bx * 8, by * 8);
    }
    // Subsampled components are replicated (no smoothing): only colour images subsample.
    const sx = hMax / c.h;
    const sy = vMax / c.v;
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y / sy) * planeWidth;
      for (let x = 0; x < width; x++) pixels[(y * width + x) * n + index] = plane[row + Math.floor(x / sx)] ?? 0;
    }
  });
  return { width, height, precision, components: n, pixels };
}
