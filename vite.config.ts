/**
 * Renderer build. scripts/build.mjs runs it and expects dist/renderer with
 * index.html at its root; Electron's app:// protocol and the browser host
 * both serve that folder under the same strict CSP
 * (src-main/shared/contentSecurityPolicy.ts): scripts only from files, never
 * inline, so nothing here may inject an inline <script>.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const fromRoot = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const rendererRoot = fromRoot('./src-renderer');

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs: the same build is served from app:// and from http://127.0.0.1:<port>/.
  base: './',
  plugins: [vue()],
  // No '@shared' alias: the renderer imports src-main/shared by relative path, which
  // tsc, vitest and the boundary lint rule all resolve without extra configuration.
  resolve: {
    // vtk.js (cornerstone's rendering) imports xmlbuilder2, whose package entry
    // needs Node built-ins; its prebuilt browser bundle does not. Without this
    // alias the viewer never renders a series (tests/e2e/viewer.test.ts).
    alias: { xmlbuilder2: 'xmlbuilder2/lib/xmlbuilder2.min.js' },
  },
  optimizeDeps: {
    // The dev server pre-bundles the Emscripten codec glue (CommonJS) that the
    // dicom-image-loader's decode worker imports; excluding the loader instead
    // breaks those imports in dev. The production build does not use this list.
    include: [
      'dicom-parser',
      '@cornerstonejs/dicom-image-loader > @cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/dicom-image-loader > @cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/dicom-image-loader > @cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/dicom-image-loader > @cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/dicom-image-loader > @cornerstonejs/codec-libjxl/decodewasmjs',
    ],
  },
  // The decode worker is an ES module (it imports the codecs); a classic worker cannot.
  worker: { format: 'es' },
  build: {
    outDir: fromRoot('./dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // Electron 45 and current Chromium only: no legacy transforms.
    target: 'es2022',
    // Chromium supports modulepreload natively; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    // Assets stay files under 'self': the CSP allows no data: fonts (font-src 'self').
    // This also keeps the codec .wasm files and the decode worker as files.
    assetsInlineLimit: 0,
    // The viewer chunk (cornerstone core, tools and vtk.js, ~4 MB) loads lazily
    // after the shell has painted; it is big by nature, not by accident.
    chunkSizeWarningLimit: 4500,
  },
});
