/**
 * Packs the app with electron-builder (--dir, offline; a stub Electron when the
 * binary is not installed) and checks what went into app.asar: the bundles,
 * the renderer, native addons unpacked to disk, and no development packages.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { beforeAll, describe, expect, it } from 'vitest';
import { createThreadedWasmModule } from '../../src-main/trainer/backends/wasmThreadedModule';

const root = path.resolve(import.meta.dirname, '../..');
const builtOutputs = ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/main/trainer.cjs', 'dist/renderer/index.html'];
const buildInputs = ['src-main', 'src-renderer', 'vite.config.ts', 'scripts/build.mjs', 'scripts/lib/bundleSettings.mjs', 'package.json'];

interface AsarEntry {
  readonly path: string;
  readonly unpacked: boolean;
}

let unpackedDir = '';
let archive = '';
let entries: AsarEntry[] = [];
let paths = new Set<string>();
let packOutput = '';

function newestMtime(target: string): number {
  const full = path.join(root, target);
  if (!existsSync(full)) return 0;
  const info = statSync(full);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(full, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds only when an output is missing or older than a source: `npm test` has usually built already. */
function buildIfStale(): void {
  const outputs = builtOutputs.map((file) => path.join(root, file));
  const oldestOutput = outputs.every((file) => existsSync(file)) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
  const newestInput = Math.max(...buildInputs.map(newestMtime));
  if (oldestOutput > newestInput) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`node scripts/build.mjs failed:\n${build.stdout}\n${build.stderr}`);
}

/** The packages the production dependency tree reaches from package.json (dependencies and optionals that are installed). */
function productionPackages(): Set<string> {
  const found = new Set<string>();
  const visit = (name: string, fromDir: string): void => {
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name, 'package.json');
      if (existsSync(candidate)) {
        const key = path.relative(root, path.dirname(candidate));
        if (found.has(key)) return;
        found.add(key);
        const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, path.dirname(candidate));
        return;
      }
      if (dir === root || dir === path.dirname(dir)) return; // not installed (an optional dependency npm skipped)
    }
  };
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, root);
  return new Set([...found].map((key) => key.split(path.sep).join('/').replace(/^node_modules\//, '')));
}

beforeAll(() => {
  buildIfStale();
  const pack = spawnSync(process.execPath, ['scripts/pack-dir.mjs'], { cwd: root, encoding: 'utf8' });
  packOutput = `${pack.stdout}\n${pack.stderr}`;
  if (pack.status !== 0) throw new Error(`node scripts/pack-dir.mjs failed:\n${packOutput}`);
  const releaseDir = path.join(root, 'release');
  const unpackedName = readdirSync(releaseDir).find((name) => name.endsWith('-unpacked'));
  if (unpackedName === undefined) throw new Error(`no release/*-unpacked folder after pack-dir:\n${packOutput}`);
  unpackedDir = path.join(releaseDir, unpackedName);
  archive = path.join(unpackedDir, 'resources/app.asar');
  entries = listPackage(archive, { isPack: true }).map((line) => {
    const [state, file] = line.split(' : ');
    return { path: (file ?? '').split(path.sep).join('/').replace(/^\//, ''), unpacked: state?.trim() === 'unpack' };
  });
  paths = new Set(entries.map((entry) => entry.path));
}, 300_000);

describe('packaged app (release/*-unpacked/resources/app.asar)', () => {
  it('holds the bundles and package.json, whose main is in the archive', () => {
    for (const file of ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/main/trainer.cjs', 'package.json']) {
      expect(paths.has(file), `${file} in app.asar`).toBe(true);
    }
    const manifest = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as { main: string };
    expect(manifest.main).toBe('dist/main/main.cjs');
  });

  it('holds the renderer build', () => {
    const message =
      'dist/renderer/index.html is not in app.asar: the renderer build (vite.config.ts, src-renderer) is missing or failed, so the packaged app would open an empty window';
    expect(paths.has('dist/renderer/index.html'), message).toBe(true);
    expect(extractFile(archive, 'dist/renderer/index.html').toString('utf8')).toMatch(/<div id="app">/);
  });

  it('unpacks every native addon to disk, the Dawn build for this platform included', () => {
    const addons = entries.filter((entry) => entry.path.endsWith('.node'));
    const dawn = `node_modules/webgpu/dist/${process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`}/dawn.node`;
    expect(addons.map((entry) => entry.path)).toContain(dawn);
    for (const addon of addons) {
      expect(addon.unpacked, `${addon.path} marked unpacked`).toBe(true);
      const onDisk = path.join(unpackedDir, 'resources/app.asar.unpacked', addon.path);
      expect(existsSync(onDisk), `${addon.path} in app.asar.unpacked`).toBe(true);
      expect(statSync(onDisk).size).toBeGreaterThan(1_000_000);
    }
  });

  it("unpacks the WebAssembly backend's thread files, which worker threads read from disk", () => {
    const threadFiles = [
      'dist/main/wasmPthreadWorker.cjs',
      'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
      'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js',
      'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm',
    ];
    for (const file of threadFiles) {
      const entry = entries.find((e) => e.path === file);
      expect(entry?.unpacked, `${file} unpacked from app.asar`).toBe(true);
      expect(existsSync(path.join(unpackedDir, 'resources/app.asar.unpacked', file)), `${file} in app.asar.unpacked`).toBe(true);
    }
  });

  it('starts two WebAssembly threads from the unpacked files alone (worker threads never read the archive)', async () => {
    const unpacked = path.join(unpackedDir, 'resources/app.asar.unpacked');
    const wasmOut = path.join(unpacked, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out');
    const module = await createThreadedWasmModule(2, {
      factory: path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'),
      wasm: path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.wasm'),
      worker: path.join(unpacked, 'dist/main/wasmPthreadWorker.cjs'),
    });
    const tfjs = module.tfjs as { initWithThreadsCount(n: number): void; getThreadsCount(): number };
    tfjs.initWithThreadsCount(2);
    try {
      expect(tfjs.getThreadsCount()).toBe(2);
    } finally {
      module.PThread?.terminateAllThreads();
    }
  }, 60_000);

  it("keeps only this platform's Dawn builds", () => {
    const others = ['linux', 'win32', 'darwin'].filter((os) => os !== process.platform);
    for (const entry of entries) {
      for (const os of others) expect(entry.path.startsWith(`node_modules/webgpu/dist/${os}-`), entry.path).toBe(false);
    }
  });

  it('leaves out Electron, development packages, sources and source maps', () => {
    expect(entries.some((entry) => entry.path === 'node_modules/electron' || entry.path.startsWith('node_modules/electron/'))).toBe(false);
    const production = productionPackages();
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => !production.has(name));
    expect(devOnly).toEqual(expect.arrayContaining(['vite', 'vitest', 'electron', 'electron-builder', 'typescript']));
    for (const name of devOnly) expect(paths.has(`node_modules/${name}`), `devDependency ${name} in app.asar`).toBe(false);
    for (const entry of entries) {
      expect(entry.path.startsWith('src-main/') || entry.path.startsWith('src-renderer/') || entry.path.startsWith('tests/'), entry.path).toBe(false);
      expect(entry.path.endsWith('.map') && entry.path.startsWith('dist/'), entry.path).toBe(false);
    }
  });

  it('says so when the Electron executable is a stub', () => {
    const stubbed = existsSync(path.join(unpackedDir, 'MACL-ELECTRON-STUB.txt'));
    expect(packOutput.includes('STUB')).toBe(stubbed);
  });
});
