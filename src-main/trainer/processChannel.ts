/**
 * The trainer's pipe to whoever started it, as an RPC Transport. The same
 * entry runs as an Electron utilityProcess (desktop app), a Node child process
 * (browser host, CLI, tests) or a worker thread; each offers a different
 * channel object. Never imports electron: the utilityProcess channel is
 * `process.parentPort`, found by shape.
 */
import { isMainThread, parentPort as workerPort } from 'node:worker_threads';
import type { Transport } from '../shared/rpc/transport';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import type { WireMessage } from '../shared/rpc/wire';

export type ChannelKind = 'utility-process' | 'child-process' | 'worker-thread';

export interface ParentChannel {
  readonly kind: ChannelKind;
  readonly transport: Transport;
}

/** What each kind of channel must provide. */
interface Endpoint {
  post(message: WireMessage): void;
  listen(listener: (raw: unknown) => void): void;
  /** Calls `listener` when the parent side goes away. */
  watchEnd(listener: (reason: string) => void): void;
  close(): void;
}

/** Electron's ParentPort: an EventEmitter whose 'message' events carry `{ data }`. */
interface UtilityParentPort {
  on(event: 'message', listener: (event: unknown) => void): unknown;
  postMessage(message: unknown): void;
}

function isUtilityParentPort(value: unknown): value is UtilityParentPort {
  return typeof value === 'object' && value !== null && 'on' in value && typeof value.on === 'function' && 'postMessage' in value && typeof value.postMessage === 'function';
}

function dataOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null && 'data' in event ? event.data : undefined;
}

/**
 * Electron's ParentPort has no close event, and a parent killed hard sends no
 * 'disconnect' either; a changed parent pid means this process was orphaned.
 */
function watchParentPid(listener: (reason: string) => void): void {
  const original = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== original) {
      clearInterval(timer);
      listener(`the parent process (pid ${original}) is gone`);
    }
  }, 1000);
  timer.unref();
}

function findEndpoint(): { kind: ChannelKind; endpoint: Endpoint } | null {
  const utilityPort: unknown = Reflect.get(process, 'parentPort');
  if (isUtilityParentPort(utilityPort)) {
    return {
      kind: 'utility-process',
      endpoint: {
        post: (message) => utilityPort.postMessage(message),
        listen: (listener) => void utilityPort.on('message', (event) => listener(dataOf(event))),
        watchEnd: watchParentPid,
        close: () => undefined,
      },
    };
  }
  if (!isMainThread && workerPort !== null) {
    const port = workerPort;
    return {
      kind: 'worker-thread',
      endpoint: {
        post: (message) => port.postMessage(message),
        listen: (listener) => void port.on('message', listener),
        watchEnd: (listener) => void port.on('close', () => listener('the parent thread closed the channel')),
        close: () => port.close(),
      },
    };
  }
  const send = process.send?.bind(process);
  if (send !== undefined) {
    return {
      kind: 'child-process',
      endpoint: {
        post: (message) => void send(message, undefined, {}, (error: Error | null) => {
          if (error) process.stderr.write(`[trainer] could not send a message to the parent: ${error.message}\n`);
        }),
        listen: (listener) => void process.on('message', listener),
        watchEnd: (listener) => {
          process.on('disconnect', () => listener('the parent closed the IPC channel'));
          watchParentPid(listener);
        },
        close: () => {
          if (process.connected) process.disconnect();
        },
      },
    };
  }
  return null;
}

function toTransport(endpoint: Endpoint): Transport {
  const listeners = createTransportListeners();
  endpoint.listen((raw) => listeners.deliver(raw));
  endpoint.watchEnd((reason) => listeners.finish(reason));
  return {
    send(message) {
      if (listeners.closed) return;
      try {
        endpoint.post(message);
      } catch (error) {
        listeners.finish(`sending failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed by the trainer') {
      endpoint.close();
      listeners.finish(reason);
    },
  };
}

/** The channel this process was started with, or null when it was started by hand (no parent to talk to). */
export function openParentChannel(): ParentChannel | null {
  const found = findEndpoint();
  return found === null ? null : { kind: found.kind, transport: toTransport(found.endpoint) };
}
