/**
 * Huffman entropy decoding for sequential DCT JPEG: canonical code tables,
 * a bit reader that undoes 0xFF00 byte stuffing and stops at markers, and
 * the decoding of one 8x8 block of coefficients (in natural order).
 */

export interface HuffmanTable {
  readonly maxCode: Int32Array;
  readonly valPtr: Int32Array;
  readonly minCode: Int32Array;
  readonly values: Uint8Array;
}


/** The coefficient storage and state of one image component. */
export interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  coefficients: Int32Array;
  pred: number;
  dcTable: HuffmanTable | undefined;
  acTable: HuffmanTable | undefined;
}


/** Zigzag scan position to natural (row-major) position. */
export const zigzag = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);


/** Builds a canonical Huffman table from the DHT counts (per code length 1..16) and values. */
export function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] ?? 0;
    valPtr[length] = k;
    minCode[length] = code;
    code += count;
    k += count;
    maxCode[length] = count > 0 ? code - 1 : -1;
    code <<= 1;
  }
  return { maxCode, valPtr, minCode, values };
}

/** Reads entropy-coded bits, undoing 0xFF00 stuffing; at a marker it feeds zeros. */
export class BitReader {
  private buffer = 0;
  private count = 0;
  constructor(
    private readonly data: Uint8Array,
    public position: number,
  ) {}

  bit(): number {
    if (this.count === 0) {
      let byte = this.data[this.position] ?? 0;
      if (byte === 0xff) {
        const next = this.data[this.position + 1] ?? 0;
        if (next === 0) this.position += 2;
        else byte = 0; // a marker: do not consume it
      } else this.position++;
      this.buffer = byte;
      this.count = 8;
    }
    this.count--;
    return (this.buffer >> this.count) & 1;
  }

  bits(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) value = (value << 1) | this.bit();
    return value;
  }

  decode(table: HuffmanTable | undefined): number {
    if (table === undefined) throw new Error('JPEG: scan uses an undefined Huffman table');
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit();
      if (code <= (table.maxCode[length] ?? -1)) return table.values[(table.valPtr[length] ?? 0) + code - (table.minCode[length] ?? 0)] ?? 0;
    }
    throw new Error('JPEG: corrupt Huffman code');
  }

  /** Skips to the byte after the next RSTn marker (restart interval boundary). */
  restart(): void {
    this.count = 0;
    while (this.position + 1 < this.data.length) {
      if (this.data[this.position] === 0xff && (this.data[this.position + 1] ?? 0) >= 0xd0 && (this.data[this.position + 1] ?? 0) <= 0xd7) {
        this.position += 2;
        return;
      }
      this.position++;
    }
  }
}

function extend(value: number, size: number): number {
  return size === 0 ? 0 : value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
}

/** Decodes one block into `component.coefficients` at `offset` (natural order). */
export function decodeBlock(reader: BitReader, component: Component, offset: number): void {
  const target = component.coefficients;
  const dcSize = reader.decode(component.dcTable);
  component.pred += extend(reader.bits(dcSize), dcSize);
  target[offset] = component.pred;
  for (let k = 1; k < 64; ) {
    const rs = reader.decode(component.acTable);
    const size = rs & 15;
    const run = rs >> 4;
    if (size === 0) {
      if (run < 15) break; // end of block
      k += 16;
      continue;
    }
    k += run;
    if (k > 63) throw new Error('JPEG: coefficient index out of range');
    target[offset + (zigzag[k] ?? 0)] = extend(reader.bits(size), size);
    k++;
  }
}
