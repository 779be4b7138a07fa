/**
 * Entry of the browser host (`npm run serve`): the same renderer build and the
 * same services as the desktop app, served to a browser on this machine over
 * a loopback WebSocket. Bundled to dist/main/host.cjs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAppServices } from '../services/appServices';
import { createImportService } from '../importing/importService';
import { createLabelService } from '../labels/labelService';
import { createSessionServices } from '../session/loopServices';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { createForkSpawner } from '../services/forkTrainer';
import { createTrainerSupervisor } from '../services/trainerSupervisor';
import { createAccessToken } from './accessToken';
import { createHostServer } from './hostServer';
import { hostUsage, parseHostOptions } from './hostOptions';
import { openInBrowser } from './openBrowser';

const log = (line: string): void => console.log(`[host] ${line}`);

async function main(): Promise<void> {
  const options = parseHostOptions(process.argv.slice(2));
  if ('error' in options) {
    console.error(`${options.error}\n\n${hostUsage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(hostUsage);
    return;
  }
  const distMain = __dirname;
  const rendererDir = path.join(distMain, '../renderer');
  const version = (JSON.parse(readFileSync(path.join(distMain, '../../package.json'), 'utf8')) as { version: string }).version;

  const workspaceDir = options.workspace ?? defaultWorkspaceDir();
  const series = await createImportService({ workspaceDir });
  log(`workspace: ${workspaceDir}`);
  if (series.loadProblem !== null) log(series.loadProblem);
  const labels = createLabelService({ workspaceDir, series, log: (line) => log(`labels: ${line}`) });

  const supervisor = createTrainerSupervisor({
    spawn: createForkSpawner(path.join(distMain, 'trainer.cjs')),
    preference: options.backend,
    log: (line) => console.log(`[trainer] ${line}`),
  });
  const loop = await createSessionServices({ trainer: supervisor, labels, workspaceDir, log: (line) => log(`session: ${line}`) });
  const server = createHostServer({
    rendererDir,
    token: createAccessToken(),
    services: createAppServices({ host: 'browser', version, supervisor, series, workspaceDir, labels, session: loop }),
    resolveSeriesFile: (seriesId, index) => series.resolveSeriesFile(seriesId, index),
    log,
  });

  let listening: { port: number; url: string };
  try {
    listening = await server.listen(options.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${options.port} is already in use on 127.0.0.1. Choose another with --port N, or --port 0 for any free port.`
        : `The browser host could not listen on 127.0.0.1:${options.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  void supervisor.start();
  console.log(`MACL Workstation is running at ${listening.url}`);
  console.log('Only this machine can connect, and only with the token in that URL. Press Ctrl+C to stop.');
  if (options.open) openInBrowser(listening.url, log);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    // Labels first: unsaved strokes reach the disk before the process goes.
    // Sessions save their models while the trainer still runs, then it stops.
    const trainerDown = loop.shutdown().catch((error: unknown) => log(`closing the sessions failed: ${String(error)}`)).then(() => supervisor.dispose());
    void Promise.all([labels.close(), trainerDown, server.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main().catch((error: unknown) => {
  console.error(`The browser host failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
