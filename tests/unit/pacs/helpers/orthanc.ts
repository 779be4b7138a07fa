/**
 * A real Orthanc with its DICOMweb plugin for the PACS tests. Orthanc listens
 * on every interface, so it runs in a private network namespace that holds
 * only loopback (`unshare -n`). A small bridge inside that namespace
 * (namespaceBridge.mjs, entered with nsenter) exposes its HTTP port on a
 * Unix socket, and a forwarder here listens on the test process's 127.0.0.1:
 * no traffic ever leaves loopback. Debian packages: orthanc,
 * orthanc-dicomweb, orthanc-gdcm (.ci/run installs them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const orthancBinary = '/usr/sbin/Orthanc';
const pluginDir = '/usr/share/orthanc/plugins';
const plugins = ['libOrthancDicomWeb.so', 'libOrthancGdcm.so'].map((name) => path.join(pluginDir, name));
const httpPort = 18042;
// Relative to the repository root (tests and benchmarks run there), so the helper also works bundled.
const bridgeScript = path.resolve('tests/unit/pacs/helpers/namespaceBridge.mjs');

/** Why Orthanc cannot run here, or null. In CI (CI=true) the tests fail instead of skipping. */
export function orthancMissing(): string | null {
  if (process.platform !== 'linux') return 'the Orthanc tests need Linux network namespaces';
  for (const file of [orthancBinary, ...plugins]) if (!existsSync(file)) return `${file} is missing: apt-get install orthanc orthanc-dicomweb orthanc-gdcm`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'unshare -n needs root';
  return null;
}

export interface RunningOrthanc {
  /** http://127.0.0.1:PORT on the test's loopback, forwarded to Orthanc. */
  readonly origin: string;
  /** The DICOMweb base URL. */
  readonly dicomWebUrl: string;
  /** Stores a Part 10 file through Orthanc's REST API (not DICOMweb). */
  upload(file: string): Promise<void>;
  /** GET on Orthanc's REST API, parsed as JSON. */
  rest(pathname: string): Promise<unknown>;
  /** Stops Orthanc (SIGTERM) and waits for it; the forwarder stays, so clients then see a refused/dropped connection. */
  stopServer(): Promise<void>;
  /**
   * Kills Orthanc at once (SIGKILL) and blocks this thread briefly until the kernel has torn it
   * down, so the very next request finds it gone: a crash between two instances, independent of
   * how fast the machine retrieves (SIGTERM lets Orthanc serve a few more first).
   */
  crashServer(): void;
  /** Stops everything and removes the temp folder. */
  close(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function waitForLine(child: ChildProcess, text: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code ?? 'signal'}) before it was ready`)));
  });
}

export async function startOrthanc(options: { username?: string; password?: string } = {}): Promise<RunningOrthanc> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'macl-orthanc-'));
  const auth = options.username === undefined ? {} : { AuthenticationEnabled: true, RegisteredUsers: { [options.username]: options.password ?? '' } };
  const config = {
    Name: 'MACL test Orthanc',
    HttpPort: httpPort,
    DicomPort: 14242,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    ...auth,
    StorageDirectory: path.join(dir, 'db'),
    IndexDirectory: path.join(dir, 'db'),
    Plugins: plugins,
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  const orthanc = spawn('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${orthancBinary} config.json`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let orthancLog = '';
  orthanc.stderr?.on('data', (chunk: Buffer) => {
    orthancLog = (orthancLog + chunk.toString()).slice(-4000);
  });
  const socketPath = path.join(dir, 'bridge.sock');
  // The namespace exists once unshare has exec'ed; give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const bridge = spawn('nsenter', [`--net=/proc/${orthanc.pid}/ns/net`, process.execPath, bridgeScript, socketPath, String(httpPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForLine(bridge, 'ready', 'the namespace bridge');
  const sockets = new Set<net.Socket>();
  const forwarder = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const upstream = net.connect({ path: socketPath });
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  const port = (forwarder.address() as net.AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const headers: Record<string, string> = options.username === undefined ? {} : { Authorization: `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}` };
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${origin}/system`, { headers }).then((response) => response.ok, () => false);
    if (up) break;
    if (attempt > 100 || orthanc.exitCode !== null) throw new Error(`Orthanc did not start: ${orthancLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stopServer = async (): Promise<void> => {
    orthanc.kill('SIGTERM');
    await waitForExit(orthanc);
  };
  const crashServer = (): void => {
    orthanc.kill('SIGKILL');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  };
  return {
    origin,
    crashServer,
    dicomWebUrl: `${origin}/dicom-web`,
    async upload(file) {
      const response = await fetch(`${origin}/instances`, { method: 'POST', body: readFileSync(file), headers });
      if (!response.ok) throw new Error(`Orthanc refused ${file}: ${response.status} ${await response.text()}`);
    },
    async rest(pathname) {
      const response = await fetch(`${origin}${pathname}`, { headers });
      if (!response.ok) throw new Error(`Orthanc ${pathname}: ${response.status}`);
      return (await response.json()) as unknown;
    },
    stopServer,
    async close() {
      await stopServer();
      bridge.kill('SIGTERM');
      await waitForExit(bridge);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => forwarder.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
