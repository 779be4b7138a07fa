/**
 * Starts the built browser host (dist/main/host.cjs) as a user would with
 * `npm run serve -- --no-open`, and reads the URL it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly output: () => string;
  /** The workspace folder the host serves (pass it again to restart on the same data). */
  readonly workspace: string;
  stop(): Promise<void>;
}

export interface HostOptions {
  /** Serve this workspace instead of a new empty one. */
  readonly workspace?: string;
}

export const projectRoot = path.resolve(__dirname, '../../..');

export async function startHost(args: readonly string[] = [], options: HostOptions = {}): Promise<RunningHost> {
  const entry = path.join(projectRoot, 'dist/main/host.cjs');
  if (!existsSync(entry) || !existsSync(path.join(projectRoot, 'dist/renderer/index.html'))) {
    throw new Error('The app is not built: run `node scripts/build.mjs` (npm test does it first).');
  }
  // Each host gets its own empty workspace, so tests never see each other's series.
  const workspace = options.workspace ?? mkdtempSync(path.join(tmpdir(), 'macl-e2e-workspace-'));
  const child: ChildProcess = spawn(process.execPath, [entry, '--port', '0', '--no-open', '--workspace', workspace, ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The host printed no URL within 30 s. Output:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The host exited (code ${code}) before printing its URL. Output:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    output: () => output,
    workspace,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
