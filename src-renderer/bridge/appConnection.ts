/**
 * The one interface the stores use to reach the app. It hides which shell is
 * underneath and survives reconnections: a fresh RPC client is built on
 * every opening, calls made while disconnected fail at once with
 * `unavailable`, and followed streams are listened to again after each
 * reconnection (the server forgets subscriptions when a socket drops).
 */
import { appContract, type AppContract } from '../../src-main/shared/contract/appContract';
import { createRpcClient, type RpcClient, type StreamEnd, type Subscription } from '../../src-main/shared/rpc/client';
import type { CallName, CallParams, CallResult, StreamEvent, StreamName, StreamParams } from '../../src-main/shared/rpc/contractDef';
import type { Transport, Unsubscribe } from '../../src-main/shared/rpc/transport';
import { err, type Result } from '../../src-main/shared/result';
import type { ConnectionStatus, ShellKind } from './connectionState';
import { fixedTransportLink, type TransportLink } from './transportLink';

/** Handlers of a followed stream. */
export interface FollowHandlers<E> {
  onEvent(event: E): void;
  /**
   * The stream ended while the connection stayed open (the producer finished
   * or failed). Ends caused by a lost connection are not reported: the stream
   * is listened to again when the connection returns.
   */
  onEnd?(end: StreamEnd): void;
}

/** The app, as seen by the stores. */
export interface AppConnection {
  readonly shell: ShellKind;
  status(): ConnectionStatus;
  /** Told about every change of {@link status}; returns its unsubscribe. */
  onStatus(listener: (status: ConnectionStatus) => void): Unsubscribe;
  call<K extends CallName<AppContract>>(method: K, params: CallParams<AppContract, K>): Promise<Result<CallResult<AppContract, K>>>;
  /** Listens to a stream now (if open) and again after every reconnection, until the returned function is called. */
  follow<K extends StreamName<AppContract>>(
    stream: K,
    params: StreamParams<AppContract, K>,
    handlers: FollowHandlers<StreamEvent<AppContract, K>>,
  ): Unsubscribe;
  /** Stops following every stream, closes the connection and stops reconnecting. */
  close(): void;
}

interface Follower {
  attach(client: RpcClient<AppContract>): void;
  detach(): void;
}

const notConnected = 'Not connected to the app; reconnecting.';

/** Builds the app connection over a link and starts it. */
export function createAppConnection(link: TransportLink): AppConnection {
  let client: RpcClient<AppContract> | null = null;
  let status: ConnectionStatus = { state: 'connecting', reason: null, retryInMs: null };
  let closed = false;
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const followers = new Set<Follower>();

  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  };

  link.start({
    onOpen(transport: Transport) {
      if (closed) return;
      const opened = createRpcClient(appContract, transport);
      client = opened;
      transport.onClose(() => {
        if (client === opened) client = null;
      });
      for (const follower of followers) follower.attach(opened);
      setStatus({ state: 'open', reason: null, retryInMs: null });
    },
    onLost(reason, retryInMs) {
      if (closed) return;
      client = null;
      for (const follower of followers) follower.detach();
      setStatus({ state: 'lost', reason, retryInMs });
    },
  });

  return {
    shell: link.shell,
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    call(method, params) {
      if (client === null) return Promise.resolve(err('unavailable', closed ? 'The connection to the app was closed.' : notConnected));
      return client.call(method, params);
    },
    follow(stream, params, handlers) {
      let subscription: Subscription | null = null;
      const follower: Follower = {
        attach(current) {
          const own = current.listen(stream, params, {
            onEvent: (event) => handlers.onEvent(event),
            onEnd: (end) => {
              if (subscription === own) subscription = null;
              if (end.error?.code !== 'unavailable') handlers.onEnd?.(end);
            },
          });
          subscription = own;
        },
        detach() {
          subscription = null; // The server dropped it with the connection.
        },
      };
      followers.add(follower);
      if (client !== null) follower.attach(client);
      return () => {
        if (!followers.delete(follower)) return;
        const open = subscription;
        subscription = null;
        // Cancelling tells the server to stop producing; nothing waits on the acknowledgement.
        if (open !== null) void open.cancel();
      };
    },
    close() {
      if (closed) return;
      closed = true;
      followers.clear();
      const current = client;
      client = null;
      current?.close();
      link.stop();
      statusListeners.clear();
    },
  };
}

/** An app connection over one already connected transport (Electron preload, or a memory transport in tests). */
export function connectionOverTransport(transport: Transport, shell: ShellKind): AppConnection {
  return createAppConnection(fixedTransportLink(transport, shell));
}
