/**
 * What the browser-host benchmarks share: starting the built host on a
 * workspace (it prints its tokened URL), stopping it, and percentiles of
 * sorted samples.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';

/**
 * Starts `dist/main/host.cjs` of `root` on a free port with `workspace` and
 * the extra host arguments; `url` resolves to the printed URL with its token
 * (rejects if none comes within 30 s or the host exits), `stop` ends it
 * (SIGTERM, then SIGKILL after 5 s), `output` is what it printed so far.
 */
export function startHost(root, workspace, args = []) {
  const child = spawn(process.execPath, [path.join(root, 'dist/main/host.cjs'), '--port', '0', '--no-open', '--workspace', workspace, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The host printed no URL within 30 s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The host exited (code ${code}) before printing its URL:\n${output}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { url, stop, output: () => output };
}

/** The q-quantile (nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
