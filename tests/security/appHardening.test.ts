/**
 * Static checks of the Electron code (src-main/app): the settings that keep the
 * page away from Node and the network, read from the source so that a change
 * that weakens them fails here even where Electron cannot run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const appDir = 'src-main/app';
const files = readdirSync(appDir).filter((name) => name.endsWith('.ts'));
const read = (name: string): string => readFileSync(path.join(appDir, name), 'utf8');
/** Source without comments, so that prose about a setting never counts as the setting. */
const code = (name: string): string => read(name).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
const all = files.map((name) => ({ name, text: code(name) }));

/** The object literal passed as webPreferences in window.ts. */
function webPreferences(): string {
  const text = code('window.ts');
  const start = text.indexOf('webPreferences: {');
  expect(start).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf('}', start));
}

describe('app window hardening', () => {
  it('isolates the page: contextIsolation, sandbox, no Node, web security on', () => {
    const prefs = webPreferences();
    expect(prefs).toMatch(/contextIsolation:\s*true/);
    expect(prefs).toMatch(/sandbox:\s*true/);
    expect(prefs).toMatch(/nodeIntegration:\s*false/);
    expect(prefs).toMatch(/nodeIntegrationInWorker:\s*false/);
    expect(prefs).toMatch(/nodeIntegrationInSubFrames:\s*false/);
    expect(prefs).toMatch(/webSecurity:\s*true/);
    expect(prefs).toMatch(/allowRunningInsecureContent:\s*false/);
    expect(prefs).toMatch(/webviewTag:\s*false/);
  });

  it('never turns the dangerous switches on anywhere', () => {
    for (const { name, text } of all) {
      expect(text, name).not.toMatch(/webviewTag:\s*true/);
      expect(text, name).not.toMatch(/nodeIntegration\w*:\s*true/);
      expect(text, name).not.toMatch(/contextIsolation:\s*false/);
      expect(text, name).not.toMatch(/sandbox:\s*false/);
      expect(text, name).not.toMatch(/webSecurity:\s*false/);
      expect(text, name).not.toMatch(/allowRunningInsecureContent:\s*true/);
      expect(text, name).not.toMatch(/experimentalFeatures:\s*true/);
      expect(text, name).not.toMatch(/enableBlinkFeatures/);
      expect(text, name).not.toMatch(/bypassCSP:\s*true/);
      expect(text, name).not.toMatch(/allowLoadingUnsignedLibraries:\s*true/);
    }
  });

  it('enables the sandbox for every renderer', () => {
    expect(code('main.ts')).toMatch(/app\.enableSandbox\(\)/);
  });

  it('denies every new window', () => {
    const guard = code('navigationGuard.ts');
    expect(guard).toMatch(/setWindowOpenHandler\(/);
    expect(guard).toMatch(/return \{ action: 'deny' \}/);
    for (const { name, text } of all) expect(text, name).not.toMatch(/action:\s*'allow'/);
  });

  it('guards navigation and webviews', () => {
    const guard = code('navigationGuard.ts');
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
      expect(guard).toContain(`'${event}'`);
    }
    expect(code('main.ts')).toMatch(/installNavigationGuard\(app,/);
  });

  it('denies every permission', () => {
    const permissions = code('permissions.ts');
    expect(permissions).toMatch(/setPermissionRequestHandler\(/);
    expect(permissions).toMatch(/callback\(false\)/);
    expect(permissions).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(permissions).toMatch(/setDevicePermissionHandler\(/);
    expect(permissions).not.toMatch(/callback\(true\)/);
    expect(code('main.ts')).toMatch(/denyAllPermissions\(session\.defaultSession,/);
  });

  it('loads the app from app://, never from file://', () => {
    for (const { name, text } of all) {
      expect(text, name).not.toMatch(/file:\/\//);
      expect(text, name).not.toMatch(/\.loadFile\(/);
    }
    expect(code('appUrl.ts')).toMatch(/appScheme = 'app'/);
    expect(code('window.ts')).toMatch(/loadURL\(appStartUrl\)/);
    expect(code('appProtocol.ts')).toMatch(/protocol\.handle\(appScheme,/);
    expect(code('main.ts')).toMatch(/registerSchemesAsPrivileged\(\[appSchemePrivileges\]\)/);
  });

  it('blocks the network and serves the CSP', () => {
    expect(code('main.ts')).toMatch(/installNetworkLockdown\(session\.defaultSession,/);
    // Every response of the app:// protocol spreads the shared headers, which hold the CSP.
    const protocol = code('appProtocol.ts');
    expect(protocol).toMatch(/import \{ securityHeaders \} from '\.\.\/shared\/securityHeaders'/);
    expect((protocol.match(/\.\.\.securityHeaders/g) ?? []).length).toBe((protocol.match(/new Response\(/g) ?? []).length);
    const shared = readFileSync('src-main/shared/securityHeaders.ts', 'utf8');
    expect(shared).toMatch(/'Content-Security-Policy': contentSecurityPolicy\(\)/);
    expect(shared).toMatch(/'X-Content-Type-Options': 'nosniff'/);
  });

  it('exposes only the message pipe (and dropped-file paths) from the preload, never ipcRenderer', () => {
    const preload = code('preload.ts');
    const exposures = [...preload.matchAll(/exposeInMainWorld\(([^,]+),\s*([\s\S]*?)\);/g)];
    expect(exposures).toHaveLength(1);
    expect(exposures[0]?.[1]?.trim()).toBe('bridgeGlobalName');
    // The page gets the RPC pipe and the path of a File it was given by a drop; nothing else.
    expect(exposures[0]?.[2]?.trim()).toBe('createBridgeApi(ipcRenderer, (file) => webUtils.getPathForFile(file))');
    const bridge = code('preloadBridge.ts');
    expect(bridge).not.toMatch(/return\s+ipc\b/);
    expect(bridge).not.toMatch(/ipc(Renderer)?\s*[,}]/);
    expect(bridge).not.toMatch(/invoke\(|sendSync\(/);
  });

  it('checks the sender of every IPC message', () => {
    expect(code('ipcTransport.ts')).toMatch(/checkSender\(event,/);
    for (const { name, text } of all) {
      if (name === 'ipcTransport.ts') continue;
      expect(text, name).not.toMatch(/ipcMain\.(on|handle|once)\(/);
    }
  });

  it('keeps electron out of the run-time imports of the files tests load', () => {
    const electronAtRunTime = /^import\s+(?!type\b)[^;]*from\s+'electron'/m;
    // Electron-only files that no test imports (safeStorageSecretStore.ts: the OS keychain, used by main.ts alone).
    const allowed = new Set(['main.ts', 'window.ts', 'preload.ts', 'appMenu.ts', 'safeStorageSecretStore.ts']);
    for (const { name, text } of all) {
      if (!allowed.has(name)) expect(text, name).not.toMatch(electronAtRunTime);
    }
  });
});
