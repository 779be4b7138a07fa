#!/usr/bin/env node
// Draws the application icon (assets/icon.png, 512x512 RGBA): a stylised axial
// CT slice (body outline, lungs, spine) with a segmentation mask painted over
// one lung, on a dark rounded square. No image library is needed: the shapes
// are signed-distance tests, 4x4 supersampled, and the PNG is written with zlib.
// Usage: node scripts/make-icon.mjs [output.png] [size]
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.resolve(process.argv[2] ?? path.join(root, 'assets/icon.png'));
const size = Number(process.argv[3] ?? 512);

/** Signed distance to an axis-aligned ellipse (approximate, good enough for edges). */
function ellipse(x, y, cx, cy, rx, ry) {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return (Math.sqrt(dx * dx + dy * dy) - 1) * Math.min(rx, ry);
}

function roundedSquare(x, y, half, radius) {
  const qx = Math.abs(x) - half + radius;
  const qy = Math.abs(y) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

// Colours as [r, g, b, a], 0-255.
const background = [18, 32, 47, 255];
const tissue = [196, 204, 212, 255];
const lung = [38, 52, 66, 255];
const bone = [245, 246, 240, 255];
const mask = [255, 140, 40, 200];
const outline = [90, 200, 210, 255];

/** Colour of one sample point in unit coordinates (-1..1), later layers painted over earlier ones. */
function sample(x, y) {
  let colour = [0, 0, 0, 0];
  const paint = (c) => {
    const a = c[3] / 255;
    colour = [
      c[0] * a + colour[0] * (1 - a),
      c[1] * a + colour[1] * (1 - a),
      c[2] * a + colour[2] * (1 - a),
      255 * (a + (colour[3] / 255) * (1 - a)),
    ];
  };
  if (roundedSquare(x, y, 0.94, 0.22) <= 0) paint(background);
  const body = ellipse(x, y, 0, 0.04, 0.74, 0.56);
  if (body <= 0) paint(tissue);
  const leftLung = ellipse(x, y, -0.33, -0.02, 0.25, 0.36);
  const rightLung = ellipse(x, y, 0.33, -0.02, 0.25, 0.36);
  if (leftLung <= 0 || rightLung <= 0) paint(lung);
  // The refined mask: most of the right lung, with a brush-stroke edge.
  if (ellipse(x, y, 0.35, 0.02, 0.19, 0.28) <= 0) paint(mask);
  if (Math.abs(ellipse(x, y, 0.35, 0.02, 0.19, 0.28)) <= 0.009) paint(outline);
  if (ellipse(x, y, 0, 0.42, 0.1, 0.085) <= 0) paint(bone); // vertebral body
  if (ellipse(x, y, 0, -0.16, 0.07, 0.1) <= 0) paint([150, 60, 70, 255]); // heart/aorta
  return colour;
}

function render(n) {
  const sub = 4;
  const pixels = Buffer.alloc(n * n * 4);
  for (let py = 0; py < n; py++) {
    for (let px = 0; px < n; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < sub; sy++) {
        for (let sx = 0; sx < sub; sx++) {
          const x = ((px + (sx + 0.5) / sub) / n) * 2 - 1;
          const y = ((py + (sy + 0.5) / sub) / n) * 2 - 1;
          const c = sample(x, y);
          // Premultiply so that edges against transparency do not darken.
          const a = c[3] / 255;
          sum[0] += c[0] * a;
          sum[1] += c[1] * a;
          sum[2] += c[2] * a;
          sum[3] += c[3];
        }
      }
      const count = sub * sub;
      const alpha = sum[3] / count;
      const o = (py * n + px) * 4;
      const un = alpha > 0 ? 255 / alpha : 0;
      pixels[o] = Math.round((sum[0] / count) * un);
      pixels[o + 1] = Math.round((sum[1] / count) * un);
      pixels[o + 2] = Math.round((sum[2] / count) * un);
      pixels[o + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit, colour type 6, no interlace, filter 0 per row). */
function encodePng(pixels, n) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(n, 0);
  header.writeUInt32BE(n, 4);
  header[8] = 8;
  header[9] = 6;
  const raw = Buffer.alloc(n * (n * 4 + 1));
  for (let y = 0; y < n; y++) pixels.copy(raw, y * (n * 4 + 1) + 1, y * n * 4, (y + 1) * n * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const png = encodePng(render(size), size);
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, png);
console.log(`icon: wrote ${path.relative(root, output)} (${size}x${size}, ${(png.length / 1024).toFixed(1)} KiB)`);
