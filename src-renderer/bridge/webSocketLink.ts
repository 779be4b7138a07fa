/**
 * The browser host connection: a WebSocket to `ws(s)://<same host>/rpc`,
 * reopened with backoff whenever it closes unexpectedly. The host
 * authenticates the socket with the HttpOnly cookie it set when the page was
 * loaded with its launch token, so nothing extra is sent here.
 */
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import type { TransportLink, TransportLinkListener } from './transportLink';
import { createWebSocketTransport, type WebSocketFactory, type WebSocketLike } from './webSocketTransport';

/** Options of {@link createWebSocketLink}. */
export interface WebSocketLinkOptions {
  readonly url: string;
  /** Defaults to the browser's WebSocket. */
  readonly createSocket?: WebSocketFactory;
  readonly backoff?: BackoffOptions;
}

/** The host's RPC endpoint on the origin that served the page. */
export function rpcUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/rpc`;
}

/** A link that keeps a WebSocket open to the host, reconnecting with backoff. */
export function createWebSocketLink(options: WebSocketLinkOptions): TransportLink {
  const createSocket: WebSocketFactory = options.createSocket ?? ((url) => new WebSocket(url));
  const backoff = options.backoff ?? defaultBackoff;
  let listener: TransportLinkListener | null = null;
  let socket: WebSocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failedAttempts = 0;
  let stopped = false;

  const dial = (): void => {
    retryTimer = null;
    if (stopped || listener === null) return;
    const current = createSocket(options.url);
    socket = current;
    current.addEventListener('open', () => {
      if (stopped || socket !== current) return;
      failedAttempts = 0;
      listener?.onOpen(createWebSocketTransport(current));
    });
    current.addEventListener('close', (event) => {
      if (stopped || socket !== current) return;
      socket = null;
      const delay = backoffDelay(failedAttempts++, backoff);
      const reason = event.reason.length > 0 ? event.reason : `WebSocket closed (code ${event.code})`;
      retryTimer = setTimeout(dial, delay);
      listener?.onLost(reason, delay);
    });
    // 'error' is always followed by 'close', which carries what we need.
  };

  return {
    shell: 'browser',
    start(next) {
      if (listener !== null) throw new Error('The WebSocket link was already started.');
      listener = next;
      dial();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      socket?.close(1000, 'renderer closed');
      socket = null;
    },
  };
}
