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
  // cornerstone3d (later issue): resolve.alias xmlbuilder2 -> 'xmlbuilder2/lib/xmlbuilder2.min.js',
  // and its codec packages in optimizeDeps.include (ARCHITECTURE.md section 4).
  // Codec workers are ES modules; a classic worker cannot import them.
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
    assetsInlineLimit: 0,
  },
});
