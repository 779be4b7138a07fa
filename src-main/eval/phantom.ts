/**
 * The synthetic evaluation task (docs/eval-protocol.md): a seeded volume with
 * three labelled structures in textured background tissue (the field of
 * view lies inside the body, as in a cropped abdominal scan), each with its
 * own intensity, texture, shape and extent in z, plus a smooth multiplicative
 * bias field and Gaussian noise. Every seed gives a different geometry
 * (positions, sizes, rotation, which slices each structure spans), so volumes
 * of one task can serve as unlabelled pre-training data for another.
 *
 * Labels: 1 "organ" (bright, smooth ellipsoid whose cross-section grows and
 * shrinks over z), 2 "ring" (a thick annulus with a striped texture, present
 * over part of the volume), 3 "vessel" (a mid-grey tube running obliquely
 * through the slices). Pure computation: no files (see phantomFiles.ts).
 */
import { createRng, type Rng } from '../ml/random';

/** What to generate. */
export interface PhantomOptions {
  /** Columns = rows (default 64). */
  readonly size?: number;
  /** Slices (default 32). */
  readonly slices?: number;
  readonly seed?: number;
  /** Standard deviation of the Gaussian noise, in units of the organ's contrast (default 0.04). */
  readonly noise?: number;
  /** Largest relative change of the bias field across the volume (default 0.1, i.e. about +-10 %). */
  readonly bias?: number;
}

/** One labelled structure of the phantom. */
export interface PhantomStructure {
  readonly label: number;
  readonly name: string;
  /** First and last slice that contain it. */
  readonly slices: readonly [number, number];
}

/** A generated volume, x fastest (index x + y * size + z * size * size, the series layout). */
export interface PhantomVolume {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  /** Voxel size in mm (column, row, slice). */
  readonly spacingMm: readonly [number, number, number];
  /** Intensities in scanner-like integer units (background tissue about 300, organ about 900). */
  readonly image: Float32Array;
  /** 0 background, 1..3 the structures. */
  readonly truth: Uint8Array;
  readonly structures: readonly PhantomStructure[];
}

/** Label values and names, in drawing order. */
export const phantomLabels = [
  { label: 1, name: 'organ' },
  { label: 2, name: 'ring' },
  { label: 3, name: 'vessel' },
] as const;

/** Mean intensity per tissue before bias and noise (fractions of the organ's 0.9). */
const tissue = { body: 0.3, organ: 0.9, ring: 0.68, vessel: 0.5 } as const;

interface Placement {
  readonly cx: number;
  readonly cy: number;
}

/** Three sector centres around the body centre, turned by a random angle, so the structures never overlap. */
function sectorCentres(rng: Rng): Placement[] {
  const phi = rng.uniform(0, 2 * Math.PI);
  return [0, 1, 2].map((k) => {
    const angle = phi + (2 * Math.PI * k) / 3 + rng.uniform(-0.2, 0.2);
    const distance = rng.uniform(0.19, 0.22);
    return { cx: 0.5 + distance * Math.cos(angle), cy: 0.5 + distance * Math.sin(angle) };
  });
}

/** A slice range [first, last] of `fraction` of the volume, placed at random. */
function extent(rng: Rng, depth: number, fraction: readonly [number, number]): [number, number] {
  const length = Math.max(3, Math.round(rng.uniform(fraction[0], fraction[1]) * depth));
  const first = rng.int(Math.max(1, depth - length + 1));
  return [first, Math.min(depth - 1, first + length - 1)];
}

/** Generates one phantom volume; the same options give the same voxels. */
export function generatePhantom(options: PhantomOptions = {}): PhantomVolume {
  const size = options.size ?? 64;
  const depth = options.slices ?? 32;
  if (!Number.isInteger(size) || size < 16 || size > 1024) throw new Error(`generatePhantom: size must be an integer from 16 to 1024, got ${size}.`);
  if (!Number.isInteger(depth) || depth < 4 || depth > 1024) throw new Error(`generatePhantom: slices must be an integer from 4 to 1024, got ${depth}.`);
  const noise = options.noise ?? 0.04;
  const biasAmount = options.bias ?? 0.1;
  if (!(noise >= 0) || !(biasAmount >= 0 && biasAmount < 0.5)) throw new Error(`generatePhantom: noise must be >= 0 and bias in [0, 0.5), got ${noise} and ${biasAmount}.`);
  const rng = createRng(options.seed ?? 1);

  const [organAt, ringAt, vesselAt] = sectorCentres(rng) as [Placement, Placement, Placement];
  const organ = { ...organAt, a: rng.uniform(0.12, 0.16), b: rng.uniform(0.08, 0.11), theta: rng.uniform(0, Math.PI), drift: rng.uniform(-0.03, 0.03), z: extent(rng, depth, [0.55, 0.8]) };
  const ring = { ...ringAt, r: rng.uniform(0.1, 0.125), stripe: rng.uniform(0, Math.PI), z: extent(rng, depth, [0.4, 0.6]) };
  const vesselDir = rng.uniform(0, 2 * Math.PI);
  const vessel = { ...vesselAt, r: rng.uniform(0.055, 0.07), dx: 0.05 * Math.cos(vesselDir), dy: 0.05 * Math.sin(vesselDir), z: extent(rng, depth, [0.65, 0.9]) };
  const biasCoefficients = [0, 1, 2, 3].map(() => rng.uniform(-biasAmount, biasAmount));
  const bodyTexture = { fx: rng.uniform(3, 6), fy: rng.uniform(3, 6), phase: rng.uniform(0, 2 * Math.PI) };

  const image = new Float32Array(size * size * depth);
  const truth = new Uint8Array(size * size * depth);
  const inside = (z: number, range: readonly [number, number]): boolean => z >= range[0] && z <= range[1];
  /** -1 .. 1 across a structure's slices (0 in its middle). */
  const along = (z: number, range: readonly [number, number]): number => (range[1] === range[0] ? 0 : (2 * (z - range[0])) / (range[1] - range[0]) - 1);

  for (let z = 0; z < depth; z += 1) {
    const w = depth === 1 ? 0.5 : z / (depth - 1);
    // Organ: an ellipsoid in z (scale sqrt(1 - t^2), never below 0.35 so its end slices are not specks), drifting sideways.
    const tOrgan = along(z, organ.z);
    const organScale = Math.sqrt(Math.max(0.12, 1 - tOrgan * tOrgan));
    const organCx = organ.cx + organ.drift * tOrgan;
    // Ring: its radius swells in the middle of its extent.
    const ringR = ring.r * (0.85 + 0.15 * Math.cos((Math.PI / 2) * along(z, ring.z)));
    // Vessel: a straight oblique tube.
    const tVessel = along(z, vessel.z);
    const vesselCx = vessel.cx + vessel.dx * tVessel;
    const vesselCy = vessel.cy + vessel.dy * tVessel;
    for (let y = 0; y < size; y += 1) {
      const v = (y + 0.5) / size;
      for (let x = 0; x < size; x += 1) {
        const u = (x + 0.5) / size;
        const i = x + size * (y + size * z);
        let label = 0;
        let value: number = tissue.body + 0.03 * Math.sin(2 * Math.PI * bodyTexture.fx * u + bodyTexture.phase) * Math.cos(2 * Math.PI * bodyTexture.fy * v);
        if (inside(z, organ.z)) {
          const [ou, ov] = rotate(u - organCx, v - organ.cy, organ.theta);
          if ((ou / (organ.a * organScale)) ** 2 + (ov / (organ.b * organScale)) ** 2 <= 1) {
            label = 1;
            value = tissue.organ;
          }
        }
        if (label === 0 && inside(z, ring.z)) {
          const r = Math.hypot(u - ring.cx, v - ring.cy);
          if (r <= ringR && r >= 0.4 * ringR) {
            label = 2;
            const across = (u - ring.cx) * Math.cos(ring.stripe) + (v - ring.cy) * Math.sin(ring.stripe);
            value = tissue.ring + 0.06 * Math.sign(Math.sin((2 * Math.PI * across * size) / 4));
          }
        }
        if (label === 0 && inside(z, vessel.z) && Math.hypot(u - vesselCx, v - vesselCy) <= vessel.r) {
          label = 3;
          value = tissue.vessel;
        }
        const [c0 = 0, c1 = 0, c2 = 0, c3 = 0] = biasCoefficients;
        const bias = 1 + c0 * (u - 0.5) + c1 * (v - 0.5) + c2 * ((u - 0.5) ** 2 + (v - 0.5) ** 2 - 1 / 6) * 4 + c3 * (w - 0.5);
        truth[i] = label;
        image[i] = Math.round(1000 * (value * bias + noise * tissue.organ * rng.normal()));
      }
    }
  }
  const structures: PhantomStructure[] = [
    { label: 1, name: 'organ', slices: organ.z },
    { label: 2, name: 'ring', slices: ring.z },
    { label: 3, name: 'vessel', slices: vessel.z },
  ];
  return { width: size, height: size, depth, spacingMm: [1, 1, 2], image, truth, structures };
}

function rotate(du: number, dv: number, theta: number): [number, number] {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [c * du + s * dv, -s * du + c * dv];
}
