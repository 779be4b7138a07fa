/**
 * What the ITK skull-strip map's classes are (docs/eval-protocol.md, "What the
 * ITK tissue classes 4 and 5 are"): for each class, how much of it lies in
 * the brain mask's outer voxel layer (brain voxels with a non-brain voxel
 * among their 26 neighbours), and the Dice that class 5 would get from the
 * outer layer of the true brain and of the true brain grown or shrunk by one
 * voxel (6-neighbour morphology): masks whose own brain Dice meets the
 * suite's brain target. No training; reads the suite's derived truth.
 *
 *   npx esbuild bench/tissueLayers.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/tissueLayers.cjs
 *   MACL_REAL_DATA=<cache> node test-output/tissueLayers.cjs
 */
import { suiteCase } from '../src-main/eval/suiteCases';
import { defaultDataDir, prepareSuiteCase } from '../src-main/eval/suiteData';

interface Grid3 { readonly width: number; readonly height: number; readonly depth: number }

/** Offsets of the 6 face neighbours or all 26 neighbours. */
function neighbourOffsets(all: boolean): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz += 1) for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) {
    const n = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
    if (n === 0 || (!all && n > 1)) continue;
    out.push([dx, dy, dz]);
  }
  return out;
}

/** Voxels of `mask` (or, with `grow`, outside it) that have a neighbour of the other kind; outside the grid counts as outside the mask. */
function boundary(mask: Uint8Array, g: Grid3, all: boolean, grow: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  const offsets = neighbourOffsets(all);
  for (let z = 0; z < g.depth; z += 1) for (let y = 0; y < g.height; y += 1) for (let x = 0; x < g.width; x += 1) {
    const i = (z * g.height + y) * g.width + x;
    if ((mask[i] === 1) === grow) continue;
    for (const [dx, dy, dz] of offsets) {
      const nx = x + dx; const ny = y + dy; const nz = z + dz;
      const inside = nx >= 0 && ny >= 0 && nz >= 0 && nx < g.width && ny < g.height && nz < g.depth && mask[(nz * g.height + ny) * g.width + nx] === 1;
      if (inside === grow) { out[i] = 1; break; }
    }
  }
  return out;
}

function dice(a: Uint8Array, b: Uint8Array): number {
  let both = 0; let sa = 0; let sb = 0;
  for (let i = 0; i < a.length; i += 1) { sa += a[i] ?? 0; sb += b[i] ?? 0; both += (a[i] ?? 0) & (b[i] ?? 0); }
  return sa + sb === 0 ? 1 : (2 * both) / (sa + sb);
}

/** Number of 26-connected pieces of `mask` and the size of the largest. */
function pieces(mask: Uint8Array, g: Grid3): { count: number; largest: number } {
  const seen = new Uint8Array(mask.length);
  const offsets = neighbourOffsets(true);
  let count = 0; let largest = 0;
  for (let start = 0; start < mask.length; start += 1) {
    if (mask[start] !== 1 || seen[start] === 1) continue;
    count += 1; seen[start] = 1;
    const stack = [start]; let size = 0;
    while (stack.length > 0) {
      const i = stack.pop() as number; size += 1;
      const x = i % g.width; const y = Math.floor(i / g.width) % g.height; const z = Math.floor(i / (g.width * g.height));
      for (const [dx, dy, dz] of offsets) {
        const nx = x + dx; const ny = y + dy; const nz = z + dz;
        if (nx < 0 || ny < 0 || nz < 0 || nx >= g.width || ny >= g.height || nz >= g.depth) continue;
        const j = (nz * g.height + ny) * g.width + nx;
        if (mask[j] === 1 && seen[j] === 0) { seen[j] = 1; stack.push(j); }
      }
    }
    largest = Math.max(largest, size);
  }
  return { count, largest };
}

const withMask = (a: Uint8Array, b: Uint8Array, keep: boolean): Uint8Array => a.map((v, i) => (keep ? v | (b[i] ?? 0) : v & (1 - (b[i] ?? 0))));

async function main(): Promise<void> {
  const c = suiteCase('itk-tissue');
  const prepared = await prepareSuiteCase(c, defaultDataDir());
  const g: Grid3 = prepared;
  const brain = Uint8Array.from(prepared.truth, (v) => (v > 0 ? 1 : 0));
  const outerLayer = boundary(brain, g, true, false);
  for (const s of c.structures) {
    const cls = Uint8Array.from(prepared.truth, (v) => (v === s.label ? 1 : 0));
    let n = 0; let inLayer = 0;
    for (let i = 0; i < cls.length; i += 1) { if (cls[i] === 1) { n += 1; inLayer += outerLayer[i] ?? 0; } }
    const { count, largest } = pieces(cls, g);
    console.log(`${s.name}: ${n} voxels in ${count} pieces (largest ${largest}), ${inLayer} (${((100 * inLayer) / Math.max(1, n)).toFixed(1)} %) in the brain's outer layer (26 neighbours)`);
  }
  const layerCount = outerLayer.reduce((a, v) => a + v, 0);
  const five = c.structures.find((s) => s.name.startsWith('tissue 5'));
  if (five === undefined) throw new Error('itk-tissue has no class 5');
  const class5 = Uint8Array.from(prepared.truth, (v) => (v === five.label ? 1 : 0));
  console.log(`outer layer: ${layerCount} voxels; Dice against class 5: ${dice(outerLayer, class5).toFixed(3)}`);
  const shrunk = withMask(brain, boundary(brain, g, false, false), false);
  const grown = withMask(brain, boundary(brain, g, false, true), true);
  for (const [name, mask] of [['shrunk by one voxel', shrunk], ['grown by one voxel', grown]] as const) {
    console.log(`brain ${name}: brain Dice ${dice(mask, brain).toFixed(3)}; its outer layer against class 5: ${dice(boundary(mask, g, true, false), class5).toFixed(3)}`);
  }
}

main().catch((error: unknown) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });
