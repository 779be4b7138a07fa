/**
 * Checks that encapsulated (compressed) pixel data is complete without
 * reading it: walk the item headers (FFFE,E000 + length) from the start of
 * the Pixel Data value to the sequence delimiter (FFFE,E0DD). A truncated
 * file runs out before the delimiter. A handful of 8-byte reads per file.
 */

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

const maxItems = 1_000_000;

/** Null when the items end with a sequence delimiter inside the file, else the reason. */
export async function checkEncapsulated(readAt: ReadAt, start: number, fileSize: number): Promise<string | null> {
  let position = start;
  for (let items = 0; items < maxItems; items++) {
    if (position + 8 > fileSize) {
      return `its compressed pixel data is cut off after ${items} fragment(s): the file ends at ${fileSize} bytes before the sequence delimiter`;
    }
    const bytes = await readAt(position, 8);
    if (bytes.length < 8) return `its compressed pixel data is cut off at byte ${position}`;
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const group = view.getUint16(0, true);
    const element = view.getUint16(2, true);
    const length = view.getUint32(4, true);
    if (group !== 0xfffe || (element !== 0xe000 && element !== 0xe0dd)) {
      return `its compressed pixel data is corrupt: expected a fragment item at byte ${position}, found (${group.toString(16).padStart(4, '0')},${element.toString(16).padStart(4, '0')})`;
    }
    if (element === 0xe0dd) return null;
    if (length === 0xffffffff) return `its compressed pixel data is corrupt: a fragment of undefined length at byte ${position}`;
    position += 8 + length;
  }
  return 'its compressed pixel data has implausibly many fragments';
}
