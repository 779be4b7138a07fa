/**
 * libjpeg's accurate integer inverse DCT ("islow", jidctint.c), bit for bit,
 * with the extra precision loss libjpeg takes for 12-bit samples
 * (PASS1_BITS 1 instead of 2), so results match libjpeg-based decoders.
 */

const C = {
  f0298: 2446, f0390: 3196, f0541: 4433, f0765: 6270, f0899: 7373, f1175: 9633,
  f1501: 12299, f1847: 15137, f1961: 16069, f2053: 16819, f2562: 20995, f3072: 25172,
} as const;

/** Arithmetic right shift with rounding, exact for doubles (no 32-bit wrap). */
function descale(x: number, n: number): number {
  return Math.floor((x + 2 ** (n - 1)) / 2 ** n);
}

/** One 1-D pass of libjpeg's islow IDCT over 8 values at in[base + i*stride]. */
function idct1d(src: Float64Array, base: number, stride: number, dst: Float64Array, dBase: number, dStride: number, shift: number): void {
  const v = (i: number): number => src[base + i * stride] ?? 0;
  let z2 = v(2);
  let z3 = v(6);
  let z1 = (z2 + z3) * C.f0541;
  const t2 = z1 - z3 * C.f1847;
  const t3 = z1 + z2 * C.f0765;
  const t0 = (v(0) + v(4)) * 8192;
  const t1 = (v(0) - v(4)) * 8192;
  const t10 = t0 + t3;
  const t13 = t0 - t3;
  const t11 = t1 + t2;
  const t12 = t1 - t2;
  let o0 = v(7);
  let o1 = v(5);
  let o2 = v(3);
  let o3 = v(1);
  z1 = o0 + o3;
  z2 = o1 + o2;
  z3 = o0 + o2;
  let z4 = o1 + o3;
  const z5 = (z3 + z4) * C.f1175;
  o0 *= C.f0298;
  o1 *= C.f2053;
  o2 *= C.f3072;
  o3 *= C.f1501;
  z1 *= -C.f0899;
  z2 *= -C.f2562;
  z3 = z3 * -C.f1961 + z5;
  z4 = z4 * -C.f0390 + z5;
  o0 += z1 + z3;
  o1 += z2 + z4;
  o2 += z2 + z3;
  o3 += z1 + z4;
  const out = [t10 + o3, t11 + o2, t12 + o1, t13 + o0, t13 - o0, t12 - o1, t11 - o2, t10 - o3];
  for (let i = 0; i < 8; i++) dst[dBase + i * dStride] = descale(out[i] ?? 0, shift);
}

/** Dequantises and inverse-transforms one block into `plane` (level-shifted, clamped). */
export function idctBlock(coefficients: Int32Array, offset: number, quant: Uint16Array, precision: number, plane: Uint16Array, planeWidth: number, x0: number, y0: number): void {
  const pass1 = precision === 8 ? 2 : 1;
  const input = new Float64Array(64);
  for (let i = 0; i < 64; i++) input[i] = (coefficients[offset + i] ?? 0) * (quant[i] ?? 0);
  const work = new Float64Array(64);
  for (let col = 0; col < 8; col++) idct1d(input, col, 8, work, col, 8, 13 - pass1);
  const result = new Float64Array(64);
  for (let row = 0; row < 8; row++) idct1d(work, row * 8, 1, result, row * 8, 1, 13 + pass1 + 3);
  const center = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const value = (result[y * 8 + x] ?? 0) + center;
      plane[(y0 + y) * planeWidth + x0 + x] = value < 0 ? 0 : value > max ? max : value;
    }
  }
}
