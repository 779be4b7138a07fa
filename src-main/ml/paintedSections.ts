/**
 * Each structure's cross-section on one painted slice, from the strokes
 * alone: the region its strokes reach without crossing a background stroke,
 * as far from its strokes as the background outline lies.
 *
 * The closed-outline fill (ml/enclosedStrokeFill.ts) needs an outline closed
 * all round; a structure that touches another one (the caudate and the
 * putamen, the pallidum and the putamen) has no background to stroke where
 * they touch, so its outline has a gap there and the fill gives nothing: on
 * Colin27's six deep grey nuclei it completed 5 of the 18 painted sections
 * (docs/eval-protocol.md, session 13). Here each unstroked pixel goes to the
 * structure whose strokes are nearest without crossing a background stroke
 * (a geodesic Voronoi split: two structures painted on one slice share what
 * their outline encloses), and a structure's region stops at the distance
 * from its strokes where the largest share of its edge lies on the outline
 * (or on another structure's region): grown from the strokes, the edge is
 * open until it meets the outline, and what leaks through a gap opens it
 * again, so the region reaches into the neighbour no further than the
 * outline lies from the strokes.
 *
 * A section counts only where the outline bounds at least `closure` of its
 * edge and it stays off the slice's edge: strokes with no outline round them
 * (a line inside a structure, a scribble) give no section. Nor does one whose strokes keep to its edge
 * (less than half as deep as its deepest pixel): a stroke drawn inside a
 * structure runs through its middle, while an outline round a shell (an
 * outer tissue layer stroked in its one-voxel ring, its outline drawn round
 * the whole brain) encloses the structure inside it.
 */
import { chamferDistance } from './chamferDistance';

/** Settings of the section finder. */
export interface PaintedSectionOptions {
  /** The share of a section's edge that must lie on the background outline or another structure's section (default 0.4). */
  readonly closure?: number;
}

/** Per class index (0, classes not painted on the slice, and unbounded ones: null) the pixels of its section on a `width` x `height` slice of `labels` (-1 unlabelled, 0 background stroke, c a stroke of class c). */
export function paintedSections(labels: ArrayLike<number>, width: number, height: number, classCount: number, options: PaintedSectionOptions = {}): (Uint8Array | null)[] {
  const plane = width * height;
  const closure = options.closure ?? 0.4;
  const { owner, distance } = geodesicOwners(labels, width, height);
  const sections: (Uint8Array | null)[] = new Array<Uint8Array | null>(classCount).fill(null);
  for (let c = 1; c < classCount; c += 1) {
    const best = outlinedReach(labels, owner, distance, width, height, c, closure);
    if (best === null || best.share < closure) continue;
    const section = new Uint8Array(plane);
    for (let i = 0; i < plane; i += 1) if (owner[i] === c && (distance[i] ?? Infinity) <= best.reach) section[i] = 1;
    if (touchesSliceBorder(section, width, height) || !strokedNearItsMiddle(section, labels, c, width, height)) continue;
    sections[c] = section;
  }
  return sections;
}

/** Per pixel the class whose strokes are nearest without crossing a background stroke, and that distance (8-connected, steps 1 and sqrt 2); background strokes and pixels no stroke reaches: owner 0. */
function geodesicOwners(labels: ArrayLike<number>, width: number, height: number): { owner: Int32Array; distance: Float64Array } {
  const plane = width * height;
  const owner = new Int32Array(plane);
  const distance = new Float64Array(plane).fill(Infinity);
  const heap = new DistanceHeap(plane);
  for (let i = 0; i < plane; i += 1) {
    const c = labels[i] ?? -1;
    if (c > 0) {
      owner[i] = c;
      distance[i] = 0;
      heap.push(i, 0);
    }
  }
  const steps: readonly (readonly [number, number, number])[] = [[1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1], [1, 1, Math.SQRT2], [1, -1, Math.SQRT2], [-1, 1, Math.SQRT2], [-1, -1, Math.SQRT2]];
  while (heap.size > 0) {
    const { index, key } = heap.pop();
    if (key > (distance[index] ?? Infinity)) continue;
    const x = index % width;
    const y = (index - x) / width;
    for (const [dx, dy, cost] of steps) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const j = nx + ny * width;
      if ((labels[j] ?? -1) === 0) continue;
      const d = key + cost;
      if (d < (distance[j] ?? Infinity)) {
        distance[j] = d;
        owner[j] = owner[index] ?? 0;
        heap.push(j, d);
      }
    }
  }
  return { owner, distance };
}

/** Distances are binned by half a pixel when the outline's share is counted per reach. */
const binsPerPixel = 2;

/**
 * How far class `c`'s region reaches from its strokes: the distance at which
 * the largest share of the region's edge meets a background stroke or
 * another structure's region (the first to come within 0.01 of it), and that
 * share; null where its region meets no background stroke. Grown from the
 * strokes, the region's edge is open until it reaches the outline; beyond
 * it, what leaks through a gap opens it again.
 */
function outlinedReach(labels: ArrayLike<number>, owner: Int32Array, distance: Float64Array, width: number, height: number, c: number, closure: number): { readonly reach: number; readonly share: number } | null {
  const plane = width * height;
  let farthest = 0;
  for (let i = 0; i < plane; i += 1) if (owner[i] === c) farthest = Math.max(farthest, distance[i] ?? 0);
  const bins = Math.ceil(farthest * binsPerPixel) + 2;
  const bin = (d: number): number => Math.floor(d * binsPerPixel);
  // Changes of the outlined and open edge counts from each bin on.
  const outlined = new Float64Array(bins + 1);
  const open = new Float64Array(bins + 1);
  let touches = false;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = x + y * width;
      if (owner[i] !== c) continue;
      const from = bin(distance[i] ?? 0);
      const side = (j: number): void => {
        const label = labels[j] ?? -1;
        const other = owner[j] ?? 0;
        if (label === 0) {
          outlined[from] = (outlined[from] ?? 0) + 1;
          touches = true;
        } else if (other > 0 && other !== c) outlined[from] = (outlined[from] ?? 0) + 1;
        else if (other === c) {
          const to = bin(distance[j] ?? 0);
          if (to > from) {
            open[from] = (open[from] ?? 0) + 1;
            open[to] = (open[to] ?? 0) - 1;
          }
        } else open[from] = (open[from] ?? 0) + 1;
      };
      // The slice's border is open ground.
      if (x > 0) side(i - 1);
      else open[from] = (open[from] ?? 0) + 1;
      if (x < width - 1) side(i + 1);
      else open[from] = (open[from] ?? 0) + 1;
      if (y > 0) side(i - width);
      else open[from] = (open[from] ?? 0) + 1;
      if (y < height - 1) side(i + width);
      else open[from] = (open[from] ?? 0) + 1;
    }
  }
  if (!touches) return null;
  const shares = new Float64Array(bins);
  let outlinedSoFar = 0;
  let openSoFar = 0;
  for (let b = 0; b < bins; b += 1) {
    outlinedSoFar += outlined[b] ?? 0;
    openSoFar += open[b] ?? 0;
    shares[b] = outlinedSoFar + openSoFar === 0 ? 0 : outlinedSoFar / (outlinedSoFar + openSoFar);
  }
  // The nearest peak: a share no larger one beats (by 0.01) out to twice the distance (a wider basin beyond a gap is another region).
  for (let b = 0; b < bins; b += 1) {
    const share = shares[b] ?? 0;
    if (share < closure) continue;
    let peak = true;
    for (let later = b + 1; later < Math.min(bins, 2 * b + 2 * binsPerPixel) && peak; later += 1) peak = (shares[later] ?? 0) <= share + 0.01;
    if (peak) return { reach: (b + 1) / binsPerPixel - 1e-9, share };
  }
  return { reach: 0, share: 0 };
}

/**
 * Whether a section reaches the slice's edge: an outline encloses what it
 * bounds, so a region running out to the field of view is not outlined but
 * bounded by what else is painted (two structures painted with lines only,
 * split between them and cut by background lines across the slice, would
 * otherwise each claim half the slice). Such a structure is left to the
 * network on every slice.
 */
function touchesSliceBorder(section: Uint8Array, width: number, height: number): boolean {
  for (let x = 0; x < width; x += 1) if (section[x] === 1 || section[x + (height - 1) * width] === 1) return true;
  for (let y = 0; y < height; y += 1) if (section[y * width] === 1 || section[width - 1 + y * width] === 1) return true;
  return false;
}

/**
 * Whether class c's strokes on the slice reach at least half as deep into its
 * section as the section's deepest pixel: a stroke drawn inside a structure
 * runs through its middle, while strokes at the edge of what the outline
 * encloses belong to a shell round another structure (an outer tissue layer
 * stroked in its one-voxel ring, its outline drawn round the whole brain).
 */
function strokedNearItsMiddle(section: Uint8Array, labels: ArrayLike<number>, c: number, width: number, height: number): boolean {
  const depth = chamferDistance((i) => section[i] === 1, width, height, true);
  let deepest = 0;
  let stroked = 0;
  for (let i = 0; i < depth.length; i += 1) {
    const d = depth[i] ?? 0;
    deepest = Math.max(deepest, d);
    if (labels[i] === c) stroked = Math.max(stroked, d);
  }
  return stroked * 2 >= deepest;
}

/** A binary min-heap of pixel indices by distance (entries may repeat; stale ones are skipped by the caller). */
class DistanceHeap {
  private indices: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.indices = new Int32Array(Math.max(16, capacity));
    this.keys = new Float64Array(Math.max(16, capacity));
  }

  push(index: number, key: number): void {
    if (this.size === this.indices.length) {
      const indices = new Int32Array(this.size * 2);
      const keys = new Float64Array(this.size * 2);
      indices.set(this.indices);
      keys.set(this.keys);
      this.indices = indices;
      this.keys = keys;
    }
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((this.keys[parent] ?? 0) <= key) break;
      this.indices[at] = this.indices[parent] ?? 0;
      this.keys[at] = this.keys[parent] ?? 0;
      at = parent;
    }
    this.indices[at] = index;
    this.keys[at] = key;
  }

  pop(): { index: number; key: number } {
    const index = this.indices[0] ?? 0;
    const key = this.keys[0] ?? 0;
    this.size -= 1;
    const lastIndex = this.indices[this.size] ?? 0;
    const lastKey = this.keys[this.size] ?? 0;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && (this.keys[right] ?? 0) < (this.keys[left] ?? 0) ? right : left;
      if ((this.keys[child] ?? 0) >= lastKey) break;
      this.indices[at] = this.indices[child] ?? 0;
      this.keys[at] = this.keys[child] ?? 0;
      at = child;
    }
    this.indices[at] = lastIndex;
    this.keys[at] = lastKey;
    return { index, key };
  }
}
