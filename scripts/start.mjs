#!/usr/bin/env node
// `npm start`: makes sure the Electron binary is there (trying its download
// once), builds, and starts the desktop app. Where Electron cannot be had it
// says so in one paragraph, points to `npm run serve`, and exits 1.
// Arguments after `--` go to Electron (e.g. `npm start -- --enable-logging`).
import { spawn } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadHost, ensureElectron } from './lib/electronBinary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const installTimeoutMs = 45_000;

/** Runs a command; resolves with its exit code, its output (when captured) and whether it timed out. */
function run(command, args, { capture = false, timeoutMs = 0, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    let timedOut = false;
    if (capture) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs) : null;
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code, signal, output, timedOut });
    });
  });
}

/** A line naming why `host` is unreachable by name, or an empty string. */
async function probeHost(host) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve('getaddrinfo timed out'), 5_000).unref());
  return Promise.race([lookup(host).then(() => '', (error) => `${error.code ?? ''} ${error.message}`), timeout]);
}

const electron = await ensureElectron({
  electronDir,
  install: async () => {
    console.log(`Electron's binary is missing; trying to download it once (up to ${installTimeoutMs / 1000} s)…`);
    const attempt = await run(process.execPath, [path.join(electronDir, 'install.js')], { capture: true, timeoutMs: installTimeoutMs });
    // Node's fetch reports every network failure as "fetch failed"; a DNS
    // lookup of the host tells the common offline case apart.
    if (attempt.exitCode !== 0 && /fetch failed/i.test(attempt.output)) attempt.output += `\n${await probeHost(downloadHost())}`;
    return attempt;
  },
});
if (!electron.ok) {
  console.error(`\n${electron.message}\n`);
  process.exit(1);
}

const build = await run(process.execPath, [path.join(root, 'scripts/build.mjs')]);
if (build.exitCode !== 0) process.exit(build.exitCode ?? 1);

if (process.platform === 'linux' && process.getuid?.() === 0 && !process.argv.includes('--no-sandbox')) {
  console.warn('Note: Chromium refuses to run as root with its sandbox on; run as a normal user (or, for a throwaway test only, `npm start -- --no-sandbox`).');
}
// ELECTRON_RUN_AS_NODE would make the binary act as plain Node and ignore the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const app = await run(electron.binary, [root, ...process.argv.slice(2)], { env });
process.exit(app.exitCode ?? (app.signal ? 1 : 0));
