/**
 * The workstation's one window. The page is untrusted as far as the main
 * process is concerned (it renders DICOM content and third-party viewer
 * code): it runs sandboxed, context-isolated, without Node, and can only
 * talk through the preload's message pipe.
 */
import { BrowserWindow } from 'electron';
import { appStartUrl } from './appUrl';

export interface MainWindowOptions {
  /** Absolute path of dist/main/preload.cjs. */
  readonly preloadPath: string;
  /** Absolute path of the window icon (Linux; Windows and macOS take it from the package). */
  readonly iconPath?: string;
  /** DevTools are available only in development builds. */
  readonly devTools: boolean;
  readonly title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: options.title,
    show: false,
    backgroundColor: '#12202f',
    ...(options.iconPath === undefined ? {} : { icon: options.iconPath }),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Chromium's spell checker downloads dictionaries from Google: offline app.
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/**
 * Loads the app page. Separate from creation so the caller can attach the
 * IPC transport first. A failed load (e.g. no renderer build) is logged and
 * the window shown anyway, rather than staying invisible.
 */
export function loadAppPage(window: BrowserWindow, log: (line: string) => void): void {
  window.loadURL(appStartUrl).catch((error: unknown) => {
    log(`window: could not load ${appStartUrl}: ${error instanceof Error ? error.message : String(error)}`);
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  });
}

/** A renderer that crashes again within this time is left alone (a crash loop helps no one). */
const minCrashReloadIntervalMs = 30_000;

/**
 * Reloads the page when its renderer process dies (out of memory on a large
 * volume, a GPU process fault), so the user is not left with a blank window.
 * The trainer and the workspace live in other processes and are unaffected.
 */
export function reloadAfterCrash(window: BrowserWindow, log: (line: string) => void): void {
  let lastReload = 0;
  window.webContents.on('render-process-gone', (_event, details) => {
    log(`window: renderer process gone (${details.reason}, exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const now = Date.now();
    if (now - lastReload < minCrashReloadIntervalMs) {
      log('window: not reloading again so soon after the last crash');
      return;
    }
    lastReload = now;
    window.webContents.reload();
  });
}
