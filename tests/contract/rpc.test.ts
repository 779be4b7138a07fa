import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRpcClient } from '../../src-main/shared/rpc/client';
import { defineContract } from '../../src-main/shared/rpc/contractDef';
import { createMemoryTransportPair } from '../../src-main/shared/rpc/memoryTransport';
import { serveContract, type ServiceHandlers } from '../../src-main/shared/rpc/server';
import { err, ok } from '../../src-main/shared/result';

const testContract = defineContract({
  calls: {
    add: { params: z.object({ a: z.number(), b: z.number() }), result: z.number() },
    fail: { params: z.object({}), result: z.number() },
    explode: { params: z.object({}), result: z.number() },
    lie: { params: z.object({}), result: z.number() },
  },
  streams: {
    count: { params: z.object({ upTo: z.number().int().positive(), delayMs: z.number().nonnegative() }), event: z.object({ n: z.number() }) },
    forever: { params: z.object({ ignoreCancel: z.boolean() }), event: z.object({ tick: z.number() }) },
    broken: { params: z.object({}), event: z.object({ n: z.number() }) },
  },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function setup() {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const rejected: string[] = [];
  const cancelledRuns: string[] = [];
  const handlers: ServiceHandlers<typeof testContract> = {
    calls: {
      add: ({ a, b }) => ok(a + b),
      fail: () => err('not-found', 'No such thing.'),
      explode: () => {
        throw new Error('boom');
      },
      // Deliberately breaks the contract to show the client catches it.
      lie: () => ok('not a number' as unknown as number),
    },
    streams: {
      count: async ({ upTo, delayMs }, emit, signal) => {
        for (let n = 1; n <= upTo && !signal.cancelled; n++) {
          emit({ n });
          await sleep(delayMs);
        }
      },
      forever: async ({ ignoreCancel }, emit, signal) => {
        for (let tick = 0; tick < 200; tick++) {
          if (signal.cancelled && !ignoreCancel) {
            cancelledRuns.push('forever');
            return;
          }
          emit({ tick });
          await sleep(2);
        }
      },
      broken: async (_params, emit) => {
        emit({ n: 1 });
        throw new Error('the producer failed');
      },
    },
  };
  serveContract(testContract, handlers, serverSide, { onRejected: (p) => rejected.push(p) });
  const client = createRpcClient(testContract, clientSide);
  return { client, clientSide, serverSide, rejected, cancelledRuns };
}

describe('RPC calls', () => {
  it('answers a valid call', async () => {
    const { client } = setup();
    expect(await client.call('add', { a: 2, b: 3 })).toEqual({ ok: true, value: 5 });
  });

  it('refuses invalid parameters with a message naming the field', async () => {
    const { client, rejected } = setup();
    const result = await client.call('add', { a: 2, b: 'three' as unknown as number });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('bad-request');
      expect(result.error.message).toContain('b');
    }
    expect(rejected.length).toBe(1);
  });

  it('passes a handler error through as a value', async () => {
    const { client } = setup();
    expect(await client.call('fail', {})).toEqual({ ok: false, error: { code: 'not-found', message: 'No such thing.' } });
  });

  it('turns a thrown exception into an internal error, and the server keeps serving', async () => {
    const { client } = setup();
    const result = await client.call('explode', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'internal', message: 'boom' });
    expect(await client.call('add', { a: 1, b: 1 })).toEqual({ ok: true, value: 2 });
  });

  it('catches a reply that breaks the contract', async () => {
    const { client } = setup();
    const result = await client.call('lie', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('did not match the contract');
  });

  it('keeps concurrent calls apart', async () => {
    const { client } = setup();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.call('add', { a: i, b: 1000 })));
    expect(results.map((r) => (r.ok ? r.value : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1000));
  });

  it('ignores malformed messages and reports them', async () => {
    const { client, clientSide, rejected } = setup();
    (clientSide.send as (m: unknown) => void)({ t: 'call', id: -1, method: 42 });
    (clientSide.send as (m: unknown) => void)('not even an object');
    expect((await client.call('add', { a: 1, b: 2 })).ok).toBe(true);
    expect(rejected.filter((p) => p.startsWith('malformed')).length).toBe(2);
  });
});

describe('RPC streams', () => {
  it('delivers events in order under their own run id and ends with done', async () => {
    const { client } = setup();
    const a: number[] = [];
    const b: number[] = [];
    const ends: string[] = [];
    await new Promise<void>((resolve) => {
      let open = 2;
      const onEnd = (end: { reason: string }) => {
        ends.push(end.reason);
        if (--open === 0) resolve();
      };
      const s1 = client.listen('count', { upTo: 5, delayMs: 1 }, { onEvent: (e) => a.push(e.n), onEnd });
      const s2 = client.listen('count', { upTo: 3, delayMs: 2 }, { onEvent: (e) => b.push(e.n * 10), onEnd });
      expect(s1.runId).not.toBe(s2.runId);
    });
    expect(a).toEqual([1, 2, 3, 4, 5]);
    expect(b).toEqual([10, 20, 30]);
    expect(ends).toEqual(['done', 'done']);
  });

  it('stops the producer on cancel and delivers no event after the acknowledgement', async () => {
    const { client, cancelledRuns } = setup();
    const ticks: number[] = [];
    let endReason = '';
    const sub = client.listen('forever', { ignoreCancel: false }, { onEvent: (e) => ticks.push(e.tick), onEnd: (e) => (endReason = e.reason) });
    await sleep(20);
    await sub.cancel();
    const seen = ticks.length;
    await sleep(30);
    expect(ticks.length).toBe(seen);
    expect(endReason).toBe('cancelled');
    expect(cancelledRuns).toEqual(['forever']);
  });

  it('acknowledges a cancel even when the producer ignores it, and drops its later events', async () => {
    const { client } = setup();
    const ticks: number[] = [];
    const sub = client.listen('forever', { ignoreCancel: true }, { onEvent: (e) => ticks.push(e.tick) });
    await sleep(10);
    await sub.cancel();
    const seen = ticks.length;
    await sleep(30);
    expect(ticks.length).toBe(seen);
  });

  it('ends a failing producer with the error', async () => {
    const { client } = setup();
    const end = await new Promise<{ reason: string; message?: string }>((resolve) => {
      client.listen('broken', {}, { onEvent: () => undefined, onEnd: (e) => resolve({ reason: e.reason, message: e.error?.message }) });
    });
    expect(end).toEqual({ reason: 'failed', message: 'the producer failed' });
  });

  it('refuses a stream with invalid parameters', async () => {
    const { client } = setup();
    const end = await new Promise<{ reason: string; code?: string }>((resolve) => {
      client.listen('count', { upTo: -1, delayMs: 0 }, { onEvent: () => undefined, onEnd: (e) => resolve({ reason: e.reason, code: e.error?.code }) });
    });
    expect(end).toEqual({ reason: 'failed', code: 'bad-request' });
  });
});

describe('RPC over a closing transport', () => {
  it('fails pending calls and ends open streams with a clear reason', async () => {
    const { client, serverSide } = setup();
    let end: { reason: string; message?: string } | null = null;
    client.listen('forever', { ignoreCancel: true }, { onEvent: () => undefined, onEnd: (e) => (end = { reason: e.reason, message: e.error?.message }) });
    await sleep(5);
    serverSide.close('trainer process exited');
    await sleep(5);
    expect(end).toEqual({ reason: 'failed', message: 'Connection closed: trainer process exited' });
    const after = await client.call('add', { a: 1, b: 2 });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.error.code).toBe('unavailable');
  });
});
