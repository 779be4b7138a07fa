/**
 * Electron main process entry (bundled to dist/main/main.cjs).
 *
 * Order matters: the app:// scheme must be registered as privileged and the
 * navigation guard installed before `ready`; the protocol handler, network
 * lockdown and permission handlers must be in place before the window loads
 * anything; the trainer is stopped before the process exits.
 */
import { app, ipcMain, protocol, session, utilityProcess, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createAppServices } from '../services/appServices';
import { createTrainerSupervisor } from '../services/trainerSupervisor';
import { createImportService, type ImportService } from '../importing/importService';
import { createLabelService } from '../labels/labelService';
import { createSessionServices } from '../session/loopServices';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { appContract } from '../shared/contract/appContract';
import { backendPreferenceSchema, type BackendPreference } from '../shared/contract/compute';
import { installAppMenu } from './appMenu';
import { keychainSecretStore } from './safeStorageSecretStore';
import { appSchemePrivileges, installAppProtocol } from './appProtocol';
import { createIpcTransport } from './ipcTransport';
import { installNavigationGuard } from './navigationGuard';
import { installNetworkLockdown } from './networkLockdown';
import { servePageRpc } from './pageRpc';
import { denyAllPermissions } from './permissions';
import { createUtilityTrainerSpawner } from './utilityTrainer';
import { createMainWindow, loadAppPage, reloadAfterCrash } from './window';

const productName = 'MACL Workstation';
/** How long quitting waits for the trainer to stop before exiting anyway. */
const trainerStopTimeoutMs = 5_000;

function log(line: string): void {
  console.log(`[main] ${line}`);
}

/** `MACL_BACKEND=webgpu` (etc.) forces a backend at start, as the CLI's --backend does. */
function initialPreference(): BackendPreference {
  const parsed = backendPreferenceSchema.safeParse(process.env.MACL_BACKEND ?? 'auto');
  if (!parsed.success) log(`ignoring MACL_BACKEND=${process.env.MACL_BACKEND ?? ''}: not a backend`);
  return parsed.success ? parsed.data : 'auto';
}

function runApp(): void {
  const appRoot = app.getAppPath();
  const distMain = path.join(appRoot, 'dist/main');
  let window: BrowserWindow | null = null;
  let stopTrainer: (() => Promise<void>) | null = null;
  let closeLabels: (() => Promise<void>) | null = null;
  let quitting = false;

  app.on('second-instance', () => {
    if (window === null || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (quitting || (stopTrainer === null && closeLabels === null)) return;
    // Hold the exit until unsaved labels are on disk and the trainer is down,
    // so no stroke is lost and no orphaned GPU process remains.
    event.preventDefault();
    quitting = true;
    const stop = stopTrainer ?? (() => Promise.resolve());
    const closeStore = closeLabels ?? (() => Promise.resolve());
    const bounded = (step: Promise<void>): Promise<void> => Promise.race([step, new Promise<void>((resolve) => setTimeout(resolve, trainerStopTimeoutMs))]);
    const labelsClosed = bounded(closeStore()).catch((error: unknown) => log(`saving the labels failed: ${String(error)}`));
    void Promise.all([labelsClosed, bounded(stop())])
      .catch((error: unknown) => log(`stopping the trainer failed: ${String(error)}`))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      const workspaceDir = defaultWorkspaceDir();
      const series: ImportService = await createImportService({ workspaceDir });
      log(`workspace: ${workspaceDir}`);
      if (series.loadProblem !== null) log(series.loadProblem);
      const labels = createLabelService({ workspaceDir, series, log: (line) => log(`labels: ${line}`) });
      closeLabels = () => labels.close();
      installNetworkLockdown(session.defaultSession, log);
      denyAllPermissions(session.defaultSession, log);
      installAppProtocol(protocol, {
        rootDir: path.join(appRoot, 'dist/renderer'),
        log,
        resolveSeriesFile: (seriesId, index) => series.resolveSeriesFile(seriesId, index),
      });
      // Development builds keep Electron's default menu (reload, DevTools).
      if (app.isPackaged) installAppMenu(process.platform);

      const supervisor = createTrainerSupervisor({
        spawn: createUtilityTrainerSpawner({
          fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
          modulePath: path.join(distMain, 'trainer.cjs'),
          baseEnv: process.env,
          log,
        }),
        preference: initialPreference(),
        log: (line) => log(`trainer: ${line}`),
      });
      const loop = await createSessionServices({ trainer: supervisor, labels, workspaceDir, log: (line) => log(`session: ${line}`) });
      // Sessions save their models while the trainer still runs, then it stops.
      stopTrainer = () => loop.shutdown().catch((error: unknown) => log(`closing the sessions failed: ${String(error)}`)).then(() => supervisor.dispose());
      Promise.resolve()
        .then(() => supervisor.start())
        .catch((error: unknown) => log(`the trainer did not start: ${String(error)}`));

      const iconPath = path.join(appRoot, 'assets/icon.png');
      const services = createAppServices({ host: 'electron', supervisor, series, workspaceDir, labels, session: loop, version: app.getVersion(), pacsSecrets: keychainSecretStore(workspaceDir) });
      const win = createMainWindow({
        title: productName,
        preloadPath: path.join(distMain, 'preload.cjs'),
        ...(existsSync(iconPath) ? { iconPath } : {}),
        devTools: !app.isPackaged,
      });
      window = win;
      win.on('closed', () => {
        window = null;
      });
      const transport = createIpcTransport({ ipcMain, contents: win.webContents, log });
      servePageRpc({ transport, contract: appContract, services, log });
      reloadAfterCrash(win, log);
      loadAppPage(win, log);
    })
    .catch((error: unknown) => {
      log(`start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      app.exit(1);
    });
}

// Before ready: privileged schemes can only be registered now, and every web
// contents, the first included, must be created under the guard.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();
installNavigationGuard(app, log);
if (process.platform === 'win32') app.setAppUserModelId('org.macl.workstation');

// A second launch focuses the running window instead of starting a second
// trainer on the same GPU and workspace.
if (app.requestSingleInstanceLock()) {
  runApp();
} else {
  app.quit();
}
