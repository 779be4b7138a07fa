/**
 * Keep, for each structure, only the regions of the predicted mask that the
 * user's strokes of that structure touch (3-D, face-connected). A network or
 * a pixel classifier trained on a few stroked slices also answers on slices
 * nobody painted, and there it mistakes tissue of similar intensity (scalp,
 * skull base, neck, another nucleus) for the structure: islands the strokes
 * never reach. A structure the user painted is where they painted it, so
 * those islands are dropped to background. A structure none of whose strokes
 * is predicted as itself is left as predicted (there is no seed to grow
 * from, and dropping the whole structure would hide the failure).
 */

/** The grid of a volume (x fastest, then y, then z). */
export interface RegionGrid {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

export interface StrokeConnectedResult {
  /** The filtered class map (a new array). */
  readonly labels: Uint8Array;
  /** Voxels set to background, per class index (index 0 unused). */
  readonly removed: readonly number[];
}

/**
 * `prediction`: class index per voxel (0 background); `strokes`: per voxel
 * -1 unlabelled, 0 background stroke, c stroke of class c (the fine-tuning's
 * labels). Classes 1..classCount-1 are filtered. `strokedElsewhere`: classes
 * stroked outside this grid (a few slices cut from a volume): they are
 * filtered even where no seed of theirs lies in the grid.
 */
export function keepStrokeConnected(prediction: Uint8Array, strokes: ArrayLike<number>, grid: RegionGrid, classCount: number, strokedElsewhere: readonly number[] = []): StrokeConnectedResult {
  const { width, height, depth } = grid;
  const total = width * height * depth;
  if (prediction.length !== total || strokes.length !== total) throw new Error(`keepStrokeConnected: the grid ${width}x${height}x${depth} needs ${total} voxels, got ${prediction.length} predicted and ${strokes.length} stroked.`);
  const labels = new Uint8Array(prediction);
  // A bit per voxel and a queue as long as the predicted foreground: a 512 x 512 x 300 CT costs 10 MB plus 4 bytes per structure voxel, not 400 MB.
  const reached = new Uint32Array(Math.ceil(total / 32));
  const isReached = (i: number): boolean => ((reached[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
  const mark = (i: number): void => {
    reached[i >>> 5] = (reached[i >>> 5] ?? 0) | (1 << (i & 31));
  };
  let foreground = 0;
  for (let i = 0; i < total; i += 1) if (labels[i] !== 0) foreground += 1;
  const queue = new Int32Array(foreground);
  const seeded = new Array<boolean>(classCount).fill(false);
  let tail = 0;
  for (let i = 0; i < total; i += 1) {
    const c = strokes[i] ?? -1;
    if (c > 0 && labels[i] === c && !isReached(i)) {
      mark(i);
      queue[tail] = i;
      tail += 1;
      seeded[c] = true;
    }
  }
  for (const c of strokedElsewhere) if (c > 0 && c < classCount) seeded[c] = true;
  const plane = width * height;
  // One breadth-first pass grows every class from its own seeds at once: a voxel joins when a face neighbour of the same class was reached.
  for (let head = 0; head < tail; head += 1) {
    const i = queue[head] ?? 0;
    const c = labels[i] ?? 0;
    const x = i % width;
    const y = Math.floor(i / width) % height;
    const z = Math.floor(i / plane);
    const visit = (j: number): void => {
      if (labels[j] === c && !isReached(j)) {
        mark(j);
        queue[tail] = j;
        tail += 1;
      }
    };
    if (x > 0) visit(i - 1);
    if (x < width - 1) visit(i + 1);
    if (y > 0) visit(i - width);
    if (y < height - 1) visit(i + width);
    if (z > 0) visit(i - plane);
    if (z < depth - 1) visit(i + plane);
  }
  const removed = new Array<number>(classCount).fill(0);
  for (let i = 0; i < total; i += 1) {
    const c = labels[i] ?? 0;
    if (c !== 0 && seeded[c] === true && !isReached(i)) {
      labels[i] = 0;
      removed[c] = (removed[c] ?? 0) + 1;
    }
  }
  return { labels, removed };
}

