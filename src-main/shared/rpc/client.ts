/**
 * The calling side of a contract. Every reply and event is checked against
 * the contract's schemas before it reaches application code, so a peer that
 * drifted from the contract produces a clear error rather than bad state.
 */
import type { z } from 'zod';
import { createRunIdFactory, type RunId } from '../ids';
import { err, type AppError, type Result } from '../result';
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
import { describeZodError, parseWireMessage, type StreamEndReason } from './wire';

export interface StreamEnd {
  readonly reason: StreamEndReason;
  readonly error?: AppError;
}

export interface StreamHandlers<E> {
  onEvent(event: E): void;
  onEnd?(end: StreamEnd): void;
}

export interface Subscription {
  readonly runId: RunId;
  /** Asks the server to stop; resolves once it acknowledged. No event is delivered after the call. */
  cancel(): Promise<void>;
}

export interface RpcClient<C extends ContractDef> {
  call<K extends CallName<C>>(method: K, params: CallParams<C, K>): Promise<Result<CallResult<C, K>>>;
  listen<K extends StreamName<C>>(
    stream: K,
    params: StreamParams<C, K>,
    handlers: StreamHandlers<StreamEvent<C, K>>,
  ): Subscription;
  /** Fails every pending call and ends every stream; the transport is closed. */
  close(): void;
}

interface PendingCall {
  readonly schema: z.ZodType;
  readonly resolve: (result: Result<unknown>) => void;
}

interface OpenStream {
  readonly schema: z.ZodType;
  readonly handlers: StreamHandlers<unknown>;
  cancelling: boolean;
  readonly ended: Array<() => void>;
}

export function createRpcClient<C extends ContractDef>(contract: C, transport: Transport): RpcClient<C> {
  const nextRunId = createRunIdFactory();
  const calls = new Map<number, PendingCall>();
  const streams = new Map<string, OpenStream>();
  let nextCallId = 1;
  let closedReason: string | null = null;

  const finishStream = (runId: string, end: StreamEnd): void => {
    const stream = streams.get(runId);
    if (stream === undefined) return;
    streams.delete(runId);
    stream.handlers.onEnd?.(end);
    for (const resolve of stream.ended) resolve();
  };

  const onMessage = (raw: unknown): void => {
    const parsed = parseWireMessage(raw);
    if ('problem' in parsed) return; // A malformed message cannot be attributed to a call; drop it.
    const message = parsed.message;
    switch (message.t) {
      case 'reply': {
        const pending = calls.get(message.id);
        if (pending === undefined) return;
        calls.delete(message.id);
        if (!message.result.ok) {
          pending.resolve(message.result);
          return;
        }
        const checked = pending.schema.safeParse(message.result.value);
        pending.resolve(
          checked.success
            ? { ok: true, value: checked.data }
            : err('internal', `The reply did not match the contract: ${describeZodError(checked.error)}`),
        );
        return;
      }
      case 'event': {
        const stream = streams.get(message.runId);
        if (stream === undefined || stream.cancelling) return;
        const checked = stream.schema.safeParse(message.event);
        if (checked.success) {
          stream.handlers.onEvent(checked.data);
        } else {
          finishStream(message.runId, {
            reason: 'failed',
            error: { code: 'internal', message: `An event did not match the contract: ${describeZodError(checked.error)}` },
          });
        }
        return;
      }
      case 'end': {
        const end: StreamEnd = message.error === undefined ? { reason: message.reason } : { reason: message.reason, error: message.error };
        finishStream(message.runId, end);
        return;
      }
      default:
        return; // call/listen/cancel are for servers.
    }
  };

  const onClose = (reason: string): void => {
    closedReason = reason;
    const error: AppError = { code: 'unavailable', message: `Connection closed: ${reason}` };
    for (const pending of calls.values()) pending.resolve({ ok: false, error });
    calls.clear();
    for (const runId of [...streams.keys()]) finishStream(runId, { reason: 'failed', error });
  };

  const offMessage = transport.onMessage(onMessage);
  const offClose = transport.onClose(onClose);

  return {
    call(method, params) {
      const def = contract.calls[method];
      if (def === undefined) return Promise.resolve(err('bad-request', `Unknown call "${method}".`));
      if (closedReason !== null) {
        return Promise.resolve(err('unavailable', `Connection closed: ${closedReason}`));
      }
      const id = nextCallId++;
      return new Promise((resolve) => {
        calls.set(id, { schema: def.result, resolve: resolve as (r: Result<unknown>) => void });
        transport.send({ t: 'call', id, method, params });
      });
    },
    listen(streamName, params, handlers) {
      const runId = nextRunId();
      const def = contract.streams[streamName];
      const subscription: Subscription = {
        runId,
        cancel() {
          const stream = streams.get(runId);
          if (stream === undefined) return Promise.resolve();
          stream.cancelling = true;
          return new Promise<void>((resolve) => {
            stream.ended.push(resolve);
            transport.send({ t: 'cancel', runId });
          });
        },
      };
      if (def === undefined || closedReason !== null) {
        const message = def === undefined ? `Unknown stream "${streamName}".` : `Connection closed: ${closedReason ?? ''}`;
        queueEnd(handlers as StreamHandlers<unknown>, { reason: 'failed', error: { code: def === undefined ? 'bad-request' : 'unavailable', message } });
        return subscription;
      }
      streams.set(runId, { schema: def.event, handlers: handlers as StreamHandlers<unknown>, cancelling: false, ended: [] });
      transport.send({ t: 'listen', runId, stream: streamName, params });
      return subscription;
    },
    close() {
      offMessage();
      offClose();
      onClose('client closed');
      transport.close('client closed');
    },
  };
}

/** Ends a stream that never started, asynchronously, as a started one would. */
function queueEnd(handlers: StreamHandlers<unknown>, end: StreamEnd): void {
  void Promise.resolve().then(() => handlers.onEnd?.(end));
}
