/**
 * The filter gradient of a 'same', stride-1 conv (NHWC, odd square kernel) as
 * a split-K matrix product on WebGPU:
 *   dW[kh, kw, ci, co] = sum over m = (n, y, x) of X[n, y+kh-p, x+kw-p, ci] * dY[n, y, x, co]
 * is A^T B with A = im2col(X) [M, K = k*k*Ci] and B = dY [M, Co]. M (batch x
 * pixels, 524,288 at 256x256 batch 8) is long and K x Co small, so the sum
 * over M is split into S chunks: pass 1 gives each workgroup one 32x32 tile of
 * [K, Co] over one chunk (A gathered from X on the fly into workgroup memory,
 * zero outside the image), pass 2 adds the S partial tiles.
 *
 * Why: tfjs-backend-webgpu's Conv2DBackpropFilter gives each output one
 * thread that loops over all of M: on the H200, 1,348 ms of kernel time for
 * the 19 filter gradients of a 256x256 batch-8 fine-tuning step, and 363 ms
 * in the forward-conv form (conv2dFastGrad.ts), against PyTorch's 27 ms for
 * the whole step (docs/benchmarks.md).
 */
import * as tf from '@tensorflow/tfjs';
import { ElementwiseProgram, flatDispatch, flatLayout, registerWebgpuKernel, runProgram, type WebgpuProgram } from './webgpuProgram';

/** Tile sizes: 32 rows of K by 32 columns of Co per workgroup, 32 rows of M per step; 256 threads of 2x2 outputs. */
const tile = 32;
const threads = 256;
/** Enough workgroups to fill a large GPU, and chunks long enough to amortise the tile loads. */
const targetWorkgroups = 2048;
const minChunk = 256;

/** The split of M into chunks (exported for tests). */
export function splitPlan(m: number, k: number, co: number): { splits: number; chunk: number; tiles: number } {
  const tiles = Math.ceil(k / tile) * Math.ceil(co / tile);
  const wanted = Math.max(1, Math.min(Math.ceil(m / minChunk), Math.ceil(targetWorkgroups / tiles)));
  const chunk = Math.ceil(m / wanted / tile) * tile;
  return { splits: Math.ceil(m / chunk), chunk, tiles };
}

class PartialProgram implements WebgpuProgram {
  readonly variableNames = ['x', 'dy'];
  readonly shaderKey = 'maclFilterGradPartial';
  readonly workgroupSize: [number, number, number] = [threads, 1, 1];
  readonly uniforms = 'dims : vec4<i32>, kernel : vec2<i32>, plan : vec4<i32>,';
  readonly dispatchLayout;
  dispatch: [number, number, number];
  constructor(
    readonly outputShape: readonly number[],
    workgroups: number,
  ) {
    this.dispatchLayout = flatLayout(outputShape);
    this.dispatch = flatDispatch(workgroups * threads, threads);
  }
  getUserCode(): string {
    // dims = (N, H, W, Ci); kernel = (k, Co); plan = (chunk, tilesC, splits, M).
    return `
      var<workgroup> tileA : array<array<f32, ${tile}>, ${tile}>;
      var<workgroup> tileB : array<array<f32, ${tile}>, ${tile}>;

      fn main(index : i32) {
        let wg = i32(workgroupId.x + workgroupId.y * numWorkgroups.x + workgroupId.z * numWorkgroups.x * numWorkgroups.y);
        let N = uniforms.dims.x; let H = uniforms.dims.y; let W = uniforms.dims.z; let Ci = uniforms.dims.w;
        let ks = uniforms.kernel.x; let Co = uniforms.kernel.y;
        let chunk = uniforms.plan.x; let tilesC = uniforms.plan.y; let splits = uniforms.plan.z; let M = uniforms.plan.w;
        let K = ks * ks * Ci;
        let pad = (ks - 1) / 2;
        let tilesK = (K + ${tile - 1}) / ${tile};
        let split = wg / (tilesK * tilesC);
        let t = wg % (tilesK * tilesC);
        let r0 = (t / tilesC) * ${tile};
        let c0 = (t % tilesC) * ${tile};
        let mStart = split * chunk;
        let li = i32(localIndex);
        let tr = (li / 16) * 2;
        let tc = (li % 16) * 2;
        var acc00 = 0.0; var acc01 = 0.0; var acc10 = 0.0; var acc11 = 0.0;
        // Each thread loads the same column of both tiles at every step (flat % ${tile} = li % ${tile}):
        // the row of K it gathers (kh, kw, ci) is fixed, so decompose it once.
        let col = li % ${tile};
        let r = r0 + col;
        let ci = r % Ci; let kk = r / Ci; let dx = kk % ks - pad; let dyOff = kk / ks - pad;
        let c = c0 + col;
        for (var s = 0; s < chunk; s = s + ${tile}) {
          for (var e = 0; e < ${(tile * tile) / threads}; e = e + 1) {
            let mm = li / ${tile} + e * ${threads / tile};
            let m = mStart + s + mm;
            let inRange = m < M && s + mm < chunk;
            var a = 0.0;
            if (inRange && r < K) {
              let px = m % W; let rest = m / W; let py = rest % H; let n = rest / H;
              let sy = py + dyOff; let sx = px + dx;
              if (sy >= 0 && sy < H && sx >= 0 && sx < W) {
                a = x[((n * H + sy) * W + sx) * Ci + ci];
              }
            }
            tileA[mm][col] = a;
            var b = 0.0;
            if (inRange && c < Co) {
              b = dy[m * Co + c];
            }
            tileB[mm][col] = b;
          }
          workgroupBarrier();
          for (var q = 0; q < ${tile}; q = q + 1) {
            let a0 = tileA[q][tr]; let a1 = tileA[q][tr + 1];
            let b0 = tileB[q][tc]; let b1 = tileB[q][tc + 1];
            acc00 = acc00 + a0 * b0; acc01 = acc01 + a0 * b1;
            acc10 = acc10 + a1 * b0; acc11 = acc11 + a1 * b1;
          }
          workgroupBarrier();
        }
        let row = r0 + tr;
        let column = c0 + tc;
        if (split < splits) {
          let base = split * K;
          if (row < K && column < Co) { result[(base + row) * Co + column] = acc00; }
          if (row < K && column + 1 < Co) { result[(base + row) * Co + column + 1] = acc01; }
          if (row + 1 < K && column < Co) { result[(base + row + 1) * Co + column] = acc10; }
          if (row + 1 < K && column + 1 < Co) { result[(base + row + 1) * Co + column + 1] = acc11; }
        }
      }`;
  }
}

/** Pass 2: out[j] = the sum over the splits of partial[s, j]. */
function sumSplitsProgram(outputShape: readonly number[]): ElementwiseProgram {
  return new ElementwiseProgram('maclFilterGradSum', ['partial'], outputShape, 'splits : i32,', `
          var total = 0.0;
          for (var s = 0; s < uniforms.splits; s = s + 1) {
            total = total + partial[s * uniforms.size + index];
          }
          setOutputAtIndex(index, total);`);
}

const kernelName = 'MaclConv2DFilterGradSame';

registerWebgpuKernel(kernelName, (backend, inputs, attrs) => {
  const { x, dy } = inputs as Record<'x' | 'dy', tf.TensorInfo>;
  const kernelSize = Number(attrs.kernelSize);
  const [n = 0, h = 0, w = 0, ci = 0] = x.shape;
  const co = dy.shape[3] ?? 0;
  const m = n * h * w;
  const k = kernelSize * kernelSize * ci;
  const plan = splitPlan(m, k, co);
  const partial = runProgram(backend, new PartialProgram([plan.splits, k, co], plan.tiles * plan.splits), [x, dy], [
    { type: 'int32', data: [n, h, w, ci] },
    { type: 'int32', data: [kernelSize, co] },
    { type: 'int32', data: [plan.chunk, Math.ceil(co / tile), plan.splits, m] },
  ]);
  try {
    return runProgram(backend, sumSplitsProgram([kernelSize, kernelSize, ci, co]), [partial], [{ type: 'int32', data: [plan.splits] }]);
  } finally {
    backend.disposeData(partial.dataId);
  }
});

/** dW [k, k, Ci, Co] of a 'same', stride-1 conv with input x [N, H, W, Ci] and output gradient dy [N, H, W, Co] (webgpu backend). */
export function conv2dFilterGradWebgpu(x: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number): tf.Tensor4D {
  if (dy.shape[0] !== x.shape[0] || dy.shape[1] !== x.shape[1] || dy.shape[2] !== x.shape[2]) {
    throw new Error(`conv2dFilterGradWebgpu: dy [${dy.shape.join(', ')}] does not match x [${x.shape.join(', ')}] for a 'same', stride-1 conv.`);
  }
  return tf.engine().runKernel(kernelName, { x, dy }, { kernelSize }) as tf.Tensor4D;
}
