/**
 * Training labels completed inside closed outlines. A radiologist who strokes
 * a line inside a structure and a background outline all around it has said
 * that everything between the two belongs to the structure, but the masked
 * loss sees only the stroked pixels: the network learns the structure from a
 * thin line through its interior and its edge (the cortex, on a brain) from a
 * handful of pixels where the line ends. On Colin27 that left a fifth of the
 * brain missed even on the painted slices, mostly within 3 voxels of its edge
 * (docs/eval-protocol.md, session 10).
 *
 * Per slice, every 4-connected region of unstroked pixels that does not reach
 * the slice's border and borders the strokes of exactly one structure (and
 * any background strokes) is labelled as that structure, except within
 * `margin` pixels of a background stroke: the strip just inside the outline is
 * where the structure's true edge lies, so it stays unlabelled (uncertain).
 * A region open to the border, or touching two structures' strokes, is left
 * unlabelled: nothing closed it.
 *
 * A structure painted inside the region on other slices is not the one that
 * encloses it: an outline drawn around a shell (the cortex around the white
 * matter, a myocardium around its blood pool, the ITK map's outer tissue
 * layer around its inside) encloses the inner structure too, and filling it
 * taught the network the inner structure as the shell (on the ITK tissue
 * case 95 % of the outer layer's filled pixels were the inside). So the box
 * around such an inner structure's strokes over all slices, grown by half its
 * larger side, stays unlabelled in the region. A structure is inner when most
 * of its strokes, projected onto the slice, lie in the region; one the region
 * only touches (a neighbour painted on other slices, a container painted
 * around it) is not.
 */

/** Completion settings. */
export interface EnclosedFillOptions {
  /** Pixels (chessboard distance) next to a background stroke left unlabelled (default 2). */
  readonly margin?: number;
  /**
   * Label only the strip of the inside that lies within this many pixels
   * (chessboard) of a background stroke, beyond the margin (default: the
   * whole inside). A strip gives the network the structure's edge without
   * outnumbering the background strokes by the whole interior.
   */
  readonly strip?: number;
  /**
   * How the filled classes are kept from outnumbering the background strokes
   * (trainer/jobs/finetuneData.ts): 'loss' keeps them all and asks for a
   * class-balanced loss, with the strokes' prior then not undone at
   * inference; 'thin' keeps, per slice, at most as many labelled pixels of a
   * structure as there are background strokes (thinFilled); 'auto' (default)
   * is 'loss' when a filled structure outnumbers the background strokes of
   * the training slices, and the strokes as drawn otherwise: on the phantom,
   * whose small structures are outnumbered by their background strokes, a
   * class-balanced loss over-predicted the vessel and the filled labels with
   * the plain loss all three structures (docs/eval-protocol.md, session 10).
   */
  readonly balance?: 'auto' | 'thin' | 'loss';
}

/** The default margin: the protocol's background band lies 2-4 voxels outside the structure, so 2 pixels keeps the gap and about one voxel of the edge uncertain. */
export const defaultEnclosedFillMargin = 2;

/**
 * Completes the labels of `count` slices of `width` x `height` (slice-major,
 * -1 unlabelled, 0 background, c > 0 structure c) in a new array; returns it
 * and the pixels filled.
 */
export function fillEnclosedStrokes(labels: Int32Array, count: number, width: number, height: number, options: EnclosedFillOptions = {}): { labels: Int32Array; filled: number } {
  const plane = width * height;
  if (labels.length !== count * plane) throw new Error(`fillEnclosedStrokes: ${count} slices of ${width}x${height} need ${count * plane} labels, got ${labels.length}.`);
  const margin = options.margin ?? defaultEnclosedFillMargin;
  if (!Number.isInteger(margin) || margin < 0) throw new Error(`fillEnclosedStrokes: margin must be an integer >= 0, got ${margin}.`);
  const strip = options.strip;
  if (strip !== undefined && (!Number.isInteger(strip) || strip < 1)) throw new Error(`fillEnclosedStrokes: strip must be a positive integer, got ${strip}.`);
  const out = new Int32Array(labels);
  const painted = paintedFootprints(labels, count, width, height);
  let filled = 0;
  const component = new Int32Array(plane);
  const queue = new Int32Array(plane);
  for (let s = 0; s < count; s += 1) {
    const slice = out.subarray(s * plane, (s + 1) * plane);
    const nearBackground = backgroundProximity(slice, width, height, margin);
    const withinStrip = strip === undefined ? null : backgroundProximity(slice, width, height, margin + strip);
    const seen = new Uint8Array(plane);
    for (let start = 0; start < plane; start += 1) {
      if (seen[start] === 1 || (slice[start] ?? -1) !== -1) continue;
      // Breadth-first over this unstroked region, noting what it borders.
      let size = 0;
      let tail = 0;
      queue[tail++] = start;
      seen[start] = 1;
      let open = false;
      let structure = 0;
      let several = false;
      for (let head = 0; head < tail; head += 1) {
        const i = queue[head] ?? 0;
        component[size++] = i;
        const x = i % width;
        const y = (i - x) / width;
        if (x === 0 || y === 0 || x === width - 1 || y === height - 1) open = true;
        const visit = (j: number): void => {
          const c = slice[j] ?? -1;
          if (c === -1) {
            if (seen[j] === 0) {
              seen[j] = 1;
              queue[tail++] = j;
            }
          } else if (c > 0) {
            if (structure === 0) structure = c;
            else if (structure !== c) several = true;
          }
        };
        if (x > 0) visit(i - 1);
        if (x < width - 1) visit(i + 1);
        if (y > 0) visit(i - width);
        if (y < height - 1) visit(i + width);
      }
      if (open || several || structure === 0) continue;
      const inner = innerStructureZones(painted, structure, component.subarray(0, size));
      for (let k = 0; k < size; k += 1) {
        const i = component[k] ?? 0;
        if (nearBackground[i] === 1 || (withinStrip !== null && withinStrip[i] === 0)) continue;
        const x = i % width;
        const y = (i - x) / width;
        if (inner.some((zone) => x >= zone.x0 && x <= zone.x1 && y >= zone.y0 && y <= zone.y1)) continue;
        slice[i] = structure;
        filled += 1;
      }
    }
  }
  return { labels: out, filled };
}

/** Where one structure was stroked, over all slices: its in-plane pixels and their box (inclusive). */
interface PaintedFootprint {
  readonly pixels: Uint8Array;
  /** How many in-plane pixels it covers. */
  readonly area: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Each structure's strokes over all `count` slices, projected onto one plane. */
function paintedFootprints(labels: Int32Array, count: number, width: number, height: number): Map<number, PaintedFootprint> {
  const plane = width * height;
  const found = new Map<number, { pixels: Uint8Array; area: number; x0: number; y0: number; x1: number; y1: number }>();
  for (let s = 0; s < count; s += 1) {
    for (let i = 0; i < plane; i += 1) {
      const c = labels[s * plane + i] ?? -1;
      if (c <= 0) continue;
      let entry = found.get(c);
      if (entry === undefined) {
        entry = { pixels: new Uint8Array(plane), area: 0, x0: width, y0: height, x1: -1, y1: -1 };
        found.set(c, entry);
      }
      if (entry.pixels[i] === 1) continue;
      entry.pixels[i] = 1;
      entry.area += 1;
      const x = i % width;
      const y = (i - x) / width;
      entry.x0 = Math.min(entry.x0, x);
      entry.x1 = Math.max(entry.x1, x);
      entry.y0 = Math.min(entry.y0, y);
      entry.y1 = Math.max(entry.y1, y);
    }
  }
  return found;
}

/** The zones of a region filled as `structure` that stay unlabelled: the grown boxes of the structures whose strokes, on any slice, lie mostly inside it. */
function innerStructureZones(painted: ReadonlyMap<number, PaintedFootprint>, structure: number, region: Int32Array): { x0: number; y0: number; x1: number; y1: number }[] {
  const zones: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const [c, footprint] of painted) {
    if (c === structure) continue;
    let inside = 0;
    for (const i of region) inside += footprint.pixels[i] ?? 0;
    if (inside * 2 <= footprint.area) continue;
    const w = footprint.x1 - footprint.x0 + 1;
    const h = footprint.y1 - footprint.y0 + 1;
    const grow = Math.ceil(Math.max(w, h) / 2);
    zones.push({ x0: footprint.x0 - grow, y0: footprint.y0 - grow, x1: footprint.x1 + grow, y1: footprint.y1 + grow });
  }
  return zones;
}

/** 1 where a background stroke (0) lies within `margin` pixels (chessboard) of the pixel. */
function backgroundProximity(slice: Int32Array, width: number, height: number, margin: number): Uint8Array {
  const near = new Uint8Array(width * height);
  if (margin === 0) return near;
  // Separable dilation of the background strokes: along the rows, then along the columns.
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) dilateLine((x) => slice[y * width + x] === 0, (x) => (rows[y * width + x] = 1), width, margin);
  for (let x = 0; x < width; x += 1) dilateLine((y) => rows[y * width + x] === 1, (y) => (near[y * width + x] = 1), height, margin);
  return near;
}

/** Marks every position of a line of `length` within `margin` of a set one, scanning both ways. */
function dilateLine(isSet: (i: number) => boolean, mark: (i: number) => void, length: number, margin: number): void {
  let last = -Infinity;
  for (let i = 0; i < length; i += 1) {
    if (isSet(i)) last = i;
    if (i - last <= margin) mark(i);
  }
  last = Infinity;
  for (let i = length - 1; i >= 0; i -= 1) {
    if (isSet(i)) last = i;
    if (last - i <= margin) mark(i);
  }
}

/**
 * Thins the filled pixels of `filled` (the completed labels of `count` slices
 * of `perSlice` pixels, at the training size) so that no structure has more
 * labelled pixels on a slice than the background strokes there: `strokes`
 * are the same slices' labels before the fill. Strokes are always kept; the
 * filled pixels kept are spread over the inside by a fixed hash of their
 * index. Labelled over its whole inside, a large structure (a brain) would
 * outnumber the background strokes many times, and a network trained on that
 * answers "structure" in the scalp wherever it is unsure (docs/eval-protocol.md,
 * session 10); thinned, the classes keep the strokes' balance.
 */
export function thinFilled(filled: Int32Array, strokes: Int32Array, count: number, perSlice: number): Int32Array {
  if (filled.length !== count * perSlice || strokes.length !== filled.length) throw new Error(`thinFilled: ${count} slices of ${perSlice} pixels need ${count * perSlice} labels, got ${filled.length} filled and ${strokes.length} stroked.`);
  const out = new Int32Array(filled);
  for (let s = 0; s < count; s += 1) {
    const base = s * perSlice;
    let background = 0;
    const stroked = new Map<number, number>();
    const added = new Map<number, number>();
    for (let i = base; i < base + perSlice; i += 1) {
      const c = strokes[i] ?? -1;
      if (c === 0) background += 1;
      else if (c > 0) stroked.set(c, (stroked.get(c) ?? 0) + 1);
      else if ((filled[i] ?? -1) > 0) added.set(filled[i] ?? 0, (added.get(filled[i] ?? 0) ?? 0) + 1);
    }
    for (let i = base; i < base + perSlice; i += 1) {
      const c = filled[i] ?? -1;
      if (c <= 0 || (strokes[i] ?? -1) !== -1) continue;
      const keep = Math.max(0, background - (stroked.get(c) ?? 0)) / (added.get(c) ?? 1);
      // Knuth's multiplicative hash: a fixed, evenly spread choice.
      if (keep < 1 && Math.imul(i + 1, 2654435761) >>> 0 >= keep * 4294967296) out[i] = -1;
    }
  }
  return out;
}
