/**
 * Prints (one per line, relative to the project root) the files `macl` needs at
 * run time outside its bundles: the entry files and package.json of the
 * packages dist/main/cli.cjs and trainer.cjs load from node_modules (they are
 * kept external, scripts/build.mjs), the WASM binaries and the linux-x64
 * dawn.node. Used by pack-runtime.sh to carry the CLI to a GPU machine that has
 * no Node or npm.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const files = new Set(['package.json', 'dist/main/cli.cjs', 'dist/main/trainer.cjs']);
const rel = (file) => path.relative(root, file);

// The tfjs union package and what it loads (their CommonJS node builds), and the backends the trainer imports.
const packages = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'];
for (const name of packages) {
  files.add(rel(require.resolve(`${name}/package.json`)));
  files.add(rel(require.resolve(name)));
}
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
for (const file of readdirSync(wasmDir)) if (file.endsWith('.wasm')) files.add(rel(path.join(wasmDir, file)));

// Small dependencies of tfjs-core, whole.
for (const name of ['long', 'seedrandom']) {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'coverage' || entry.name === 'test') continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|cjs|json)$/.test(entry.name)) files.add(rel(full));
    }
  };
  walk(dir);
}

// Dawn for Node: its ESM entry and the Linux x64 addon only.
const webgpu = path.join(root, 'node_modules/webgpu');
for (const file of ['package.json', 'index.js', 'dist/linux-x64/dawn.node']) {
  if (!existsSync(path.join(webgpu, file))) throw new Error(`node_modules/webgpu/${file} is missing: run npm ci first.`);
  files.add(rel(path.join(webgpu, file)));
}
for (const file of files) if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run npm ci and npm run build first.`);
console.log([...files].sort().join('\n'));
