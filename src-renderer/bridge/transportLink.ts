/**
 * A source of transports: one per successful connection. The Electron preload
 * opens exactly once; the browser host's WebSocket may open, drop and open
 * again. The app connection builds a fresh RPC client on every opening.
 */
import type { Transport } from '../../src-main/shared/rpc/transport';
import type { ShellKind } from './connectionState';

/** What a link tells its owner. */
export interface TransportLinkListener {
  /** A connection opened; the transport is valid until it reports its close. */
  onOpen(transport: Transport): void;
  /** The connection closed (or never opened) unexpectedly; `retryInMs` is when the link tries again, null if it will not. */
  onLost(reason: string, retryInMs: number | null): void;
}

/** Something that connects the renderer to the app, again and again if need be. */
export interface TransportLink {
  readonly shell: ShellKind;
  /** Starts connecting. Called once. */
  start(listener: TransportLinkListener): void;
  /** Closes the current connection and stops retrying; no callback follows. */
  stop(): void;
}

/**
 * A link over one transport that is already connected: the Electron preload,
 * or a memory transport in tests. When the transport closes it stays lost.
 */
export function fixedTransportLink(transport: Transport, shell: ShellKind): TransportLink {
  let stopped = false;
  let offClose: (() => void) | null = null;
  return {
    shell,
    start(listener) {
      offClose = transport.onClose((reason) => {
        if (!stopped) listener.onLost(reason, null);
      });
      listener.onOpen(transport);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      offClose?.();
      transport.close('renderer closed');
    },
  };
}
