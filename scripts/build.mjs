#!/usr/bin/env node
// Builds everything the app runs: the Node-side bundles (Electron main, preload,
// trainer, browser host, CLI) with esbuild, and the renderer with Vite.
// Usage: node scripts/build.mjs [--main-only] [--renderer-only]
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { externalPackages, workerFiles } from './lib/bundleSettings.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const outdir = path.join(root, 'dist/main');

const entries = {
  main: 'src-main/app/main.ts',
  preload: 'src-main/app/preload.ts',
  trainer: 'src-main/trainer/entry.ts',
  host: 'src-main/host/main.ts',
  cli: 'src-main/cli/main.ts',
};

async function buildMain() {
  const entryPoints = Object.fromEntries(
    Object.entries(entries).filter(([, file]) => existsSync(path.join(root, file))).map(([name, file]) => [name, path.join(root, file)]),
  );
  const common = {
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: externalPackages,
    logLevel: 'warning',
  };
  mkdirSync(outdir, { recursive: true });
  for (const file of workerFiles) copyFileSync(path.join(root, file), path.join(outdir, path.basename(file)));
  const { cli, ...others } = entryPoints;
  await esbuild({ ...common, entryPoints: others });
  // Only the CLI gets a shebang: it runs directly as `macl`. A sandboxed
  // Electron preload is wrapped in a function, where a shebang is a syntax error.
  if (cli !== undefined) await esbuild({ ...common, entryPoints: { cli }, banner: { js: '#!/usr/bin/env node' } });
}

async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

const started = Date.now();
if (!args.has('--renderer-only')) await buildMain();
if (!args.has('--main-only') && existsSync(path.join(root, 'vite.config.ts'))) await buildRenderer();
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
