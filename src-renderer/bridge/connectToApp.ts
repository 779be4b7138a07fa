/**
 * Chooses how this renderer reaches the app: the Electron preload when it is
 * there, otherwise a WebSocket to the browser host that served the page.
 */
import { createAppConnection, type AppConnection } from './appConnection';
import { createElectronTransport, findPreloadBridge } from './electronTransport';
import { fixedTransportLink } from './transportLink';
import { createWebSocketLink, rpcUrlFor } from './webSocketLink';

/** Connects to the app from a page (uses `window` and `location`). */
export function connectToApp(): AppConnection {
  const preload = findPreloadBridge(window);
  if (preload !== null) return createAppConnection(fixedTransportLink(createElectronTransport(preload), 'electron'));
  return createAppConnection(createWebSocketLink({ url: rpcUrlFor(window.location) }));
}
