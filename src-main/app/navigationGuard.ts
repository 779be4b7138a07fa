/**
 * Keeps every web contents of the app on the app's own origin: navigations
 * and redirects elsewhere are cancelled, new windows are refused, and
 * <webview> guests are never attached. Installed once on `app`, so it also
 * covers web contents created later (DevTools excepted, which Electron
 * manages itself).
 */
import type { App, WebContents } from 'electron';
import { isAppUrl } from './appUrl';
import { describeBlockedUrl } from './networkPolicy';

type Log = (line: string) => void;

/** Guards one web contents. Exported for tests; `installNavigationGuard` applies it to all. */
export function guardWebContents(contents: WebContents, log: Log): void {
  if (contents.getType() === 'webview') {
    // Unreachable while webviewTag is false; if one ever exists, it goes.
    log('navigation: closed a <webview> guest');
    contents.close();
    return;
  }
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`navigation: refused to navigate to ${describeBlockedUrl(event.url)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    // The main frame is handled by will-navigate; this catches sub-frames.
    if (event.isMainFrame || isAppUrl(event.url)) return;
    event.preventDefault();
    log(`navigation: refused a sub-frame navigation to ${describeBlockedUrl(event.url)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`navigation: refused a redirect to ${describeBlockedUrl(event.url)}`);
  });
  contents.setWindowOpenHandler((details) => {
    log(`navigation: refused to open a window for ${describeBlockedUrl(details.url)}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('navigation: refused to attach a <webview>');
  });
}

/** Applies `guardWebContents` to every web contents the app creates from now on. */
export function installNavigationGuard(app: Pick<App, 'on'>, log: Log): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
}
