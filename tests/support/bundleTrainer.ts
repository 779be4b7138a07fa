/**
 * Bundles the trainer entry as scripts/build.mjs does, into a fresh folder
 * under build/ (not the system temp folder, so that its external packages
 * resolve from this project's node_modules), with the files the build copies
 * beside the bundles (the WASM backend's pthread worker). For tests that fork
 * the real trainer; with `cli`, the `macl` command (cli.cjs) is bundled beside
 * it, as the build places them, for tests that run the CLI.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { externalPackages, workerFiles } from '../../scripts/lib/bundleSettings.mjs';

const root = path.resolve(import.meta.dirname, '../..');

export async function bundleTrainer(prefix: string, options: { readonly cli?: boolean } = {}): Promise<{ readonly dir: string; readonly trainerPath: string; readonly cliPath: string }> {
  const buildDir = path.join(root, 'build');
  mkdirSync(buildDir, { recursive: true });
  const dir = mkdtempSync(path.join(buildDir, `${prefix}-`));
  const trainerPath = path.join(dir, 'trainer.cjs');
  const cliPath = path.join(dir, 'cli.cjs');
  await build({
    entryPoints: { trainer: path.join(root, 'src-main/trainer/entry.ts'), ...(options.cli === true ? { cli: path.join(root, 'src-main/cli/main.ts') } : {}) },
    outdir: dir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // As in scripts/build.mjs: tfjs stays in node_modules (the WASM backend finds its .wasm files beside its own).
    external: externalPackages,
    logLevel: 'warning',
  });
  for (const file of workerFiles) copyFileSync(path.join(root, file), path.join(dir, path.basename(file)));
  return { dir, trainerPath, cliPath };
}
