/**
 * Cancels every request of a session that would leave the machine (see
 * networkPolicy.ts). The CSP already forbids other origins to the page; this
 * is the second wall, and it also covers what CSP does not (DevTools, a
 * navigation that slipped through, a future dependency that phones home).
 */
import type { Session, WebContents } from 'electron';
import { decideRequest, describeBlockedUrl } from './networkPolicy';

/** A blocked URL is logged once, so a retrying request cannot flood the log. */
const maxDistinctLogged = 200;

function isDevToolsContents(contents: WebContents | undefined): boolean {
  if (contents === undefined) return false;
  try {
    return !contents.isDestroyed() && contents.getURL().startsWith('devtools:');
  } catch {
    return false;
  }
}

/** Installs the filter on `session` (normally `session.defaultSession`). */
export function installNetworkLockdown(session: Pick<Session, 'webRequest'>, log: (line: string) => void): void {
  const logged = new Set<string>();
  session.webRequest.onBeforeRequest((details, callback) => {
    const decision = decideRequest(details.url, { fromDevTools: isDevToolsContents(details.webContents) });
    if (decision.allow) {
      callback({});
      return;
    }
    const shown = describeBlockedUrl(details.url);
    if (!logged.has(shown) && logged.size < maxDistinctLogged) {
      logged.add(shown);
      log(`network: blocked ${details.method} ${shown} (${details.resourceType}): ${decision.reason}`);
    }
    callback({ cancel: true });
  });
}
