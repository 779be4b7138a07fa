/**
 * The answering side of a contract. Every incoming payload is validated
 * against the contract before a handler sees it; a handler that throws
 * becomes an error reply, never a crash of the process that hosts it.
 */
import { err, ok, toAppError, type AppError, type Result } from '../result';
import { createCancelSource, type CancelSignal, type CancelSource } from './cancelSignal';
import type {
  CallName,
  CallParams,
  CallResult,
  ContractDef,
  StreamEvent,
  StreamName,
  StreamParams,
} from './contractDef';
import type { Transport } from './transport';
import { describeZodError, parseWireMessage } from './wire';

type Awaitable<T> = T | Promise<T>;

export type CallHandlers<C extends ContractDef> = {
  [K in CallName<C>]: (params: CallParams<C, K>) => Awaitable<Result<CallResult<C, K>>>;
};

/**
 * A stream producer: emits events until it resolves (the stream is done) or
 * the signal is cancelled (it should then resolve promptly). Events emitted
 * after cancellation are dropped by the server.
 */
export type StreamHandlers<C extends ContractDef> = {
  [K in StreamName<C>]: (
    params: StreamParams<C, K>,
    emit: (event: StreamEvent<C, K>) => void,
    signal: CancelSignal,
  ) => Awaitable<void>;
};

export interface ServiceHandlers<C extends ContractDef> {
  readonly calls: CallHandlers<C>;
  readonly streams: StreamHandlers<C>;
}

export interface RpcServerOptions {
  /** Told about every message that was refused (malformed, unknown method, bad params). */
  readonly onRejected?: (problem: string) => void;
}

export interface RpcServer {
  /** Cancels every open stream and stops listening; the transport stays open. */
  dispose(): void;
}

export function serveContract<C extends ContractDef>(
  contract: C,
  handlers: ServiceHandlers<C>,
  transport: Transport,
  options: RpcServerOptions = {},
): RpcServer {
  const open = new Map<string, CancelSource>();
  const reject = (problem: string): void => options.onRejected?.(problem);

  const answer = async (id: number, method: string, rawParams: unknown): Promise<void> => {
    const def = contract.calls[method];
    const handler = (handlers.calls as Record<string, (p: unknown) => Awaitable<Result<unknown>>>)[method];
    if (def === undefined || handler === undefined) {
      reject(`unknown call "${method}"`);
      transport.send({ t: 'reply', id, result: err('bad-request', `Unknown call "${method}".`) });
      return;
    }
    const params = def.params.safeParse(rawParams);
    if (!params.success) {
      const problem = `Invalid parameters for "${method}": ${describeZodError(params.error)}`;
      reject(problem);
      transport.send({ t: 'reply', id, result: err('bad-request', problem) });
      return;
    }
    let result: Result<unknown>;
    try {
      result = await handler(params.data);
    } catch (thrown) {
      result = { ok: false, error: toAppError(thrown) };
    }
    transport.send({ t: 'reply', id, result });
  };

  const startStream = async (runId: string, streamName: string, rawParams: unknown): Promise<void> => {
    const source: CancelSource = createCancelSource();
    const end = (reason: 'done' | 'cancelled' | 'failed', error?: AppError): void => {
      // A cancelled stream was already acknowledged when the cancel arrived.
      if (open.get(runId) !== source) return;
      open.delete(runId);
      transport.send(error === undefined ? { t: 'end', runId, reason } : { t: 'end', runId, reason, error });
    };
    if (open.has(runId)) {
      reject(`duplicate run id "${runId}"`);
      return;
    }
    const def = contract.streams[streamName];
    const producer = (handlers.streams as Record<string, (p: unknown, e: (ev: unknown) => void, s: CancelSignal) => Awaitable<void>>)[streamName];
    if (def === undefined || producer === undefined) {
      reject(`unknown stream "${streamName}"`);
      transport.send({ t: 'end', runId, reason: 'failed', error: { code: 'bad-request', message: `Unknown stream "${streamName}".` } });
      return;
    }
    const params = def.params.safeParse(rawParams);
    if (!params.success) {
      const problem = `Invalid parameters for stream "${streamName}": ${describeZodError(params.error)}`;
      reject(problem);
      transport.send({ t: 'end', runId, reason: 'failed', error: { code: 'bad-request', message: problem } });
      return;
    }
    open.set(runId, source);
    const emit = (event: unknown): void => {
      if (!source.signal.cancelled) transport.send({ t: 'event', runId, event });
    };
    try {
      await producer(params.data, emit, source.signal);
      end(source.signal.cancelled ? 'cancelled' : 'done');
    } catch (thrown) {
      if (source.signal.cancelled) end('cancelled');
      else end('failed', toAppError(thrown));
    }
  };

  const offMessage = transport.onMessage((raw) => {
    const parsed = parseWireMessage(raw);
    if ('problem' in parsed) {
      reject(`malformed message: ${parsed.problem}`);
      return;
    }
    const message = parsed.message;
    switch (message.t) {
      case 'call':
        void answer(message.id, message.method, message.params);
        return;
      case 'listen':
        void startStream(message.runId, message.stream, message.params);
        return;
      case 'cancel': {
        const source = open.get(message.runId);
        if (source === undefined) {
          // Already finished: the client still waits for an acknowledgement.
          transport.send({ t: 'end', runId: message.runId, reason: 'cancelled' });
          return;
        }
        // Acknowledge at once, so a producer slow to notice cannot hold the client;
        // emit() drops anything it still sends.
        open.delete(message.runId);
        source.cancel();
        transport.send({ t: 'end', runId: message.runId, reason: 'cancelled' });
        return;
      }
      default:
        reject(`unexpected "${message.t}" message sent to a server`);
    }
  });
  const offClose = transport.onClose(() => {
    for (const source of open.values()) source.cancel();
  });

  return {
    dispose() {
      offMessage();
      offClose();
      for (const source of open.values()) source.cancel();
    },
  };
}

/** Convenience for handlers: wrap a value in ok(). */
export { ok };
