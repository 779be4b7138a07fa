/**
 * Label runs are bytes on every hop. The labels contract's edits and stored
 * layers, and the trainer's slices, cross each transport as a Uint8Array with
 * the same content: structured clone (Electron IPC, the trainer's process
 * channel) and the browser host's binary WebSocket frames. The old text form
 * is refused with a message naming the field.
 */
import { describe, expect, it } from 'vitest';
import { interactiveEventSchema, interactiveLabelsParamsSchema } from '../../src-main/shared/contract/trainer/interactiveSchemas';
import { labelStateSchema, layerChangeSchema, segmentListSchema, type LabelState } from '../../src-main/shared/contract/labels';
import { importSegResultSchema } from '../../src-main/shared/contract/segApi';
import { decodeFrame, encodeFrame } from '../../src-main/shared/rpc/binaryFrame';
import { createRpcClient } from '../../src-main/shared/rpc/client';
import { defineContract } from '../../src-main/shared/rpc/contractDef';
import { createMemoryTransportPair } from '../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../src-main/shared/rpc/server';
import type { WireMessage } from '../../src-main/shared/rpc/wire';
import { z } from 'zod';
import { ok } from '../../src-main/shared/result';
import { applyRuns, decodeRuns, runsFromLayer, runsToBytes } from '../../src-main/shared/labels/labelRuns';
import type { SeriesId } from '../../src-main/shared/contract/series';

const contract = defineContract({
  calls: {
    'labels.apply': { params: z.object({ changes: z.array(layerChangeSchema) }), result: labelStateSchema },
  },
  streams: {},
});

/** A layer of 4x3x2 voxels with a few labels. */
function layer(): Uint8Array {
  const values = new Uint8Array(24);
  values.fill(2, 3, 9);
  values[20] = 255;
  return values;
}

const transports: Array<[string, <T>(message: T) => T]> = [
  ['structured clone (Electron IPC, process channels)', (message) => structuredClone(message)],
  ['binary WebSocket frames (browser host)', (message) => decodeFrame(encodeFrame(message as WireMessage)) as typeof message],
];

describe('label runs as bytes', () => {
  it.each(transports)('labels.apply sends and answers Uint8Array runs with the same content over %s', async (_name, clone) => {
    const [clientSide, serverSide] = createMemoryTransportPair(clone);
    const received: unknown[] = [];
    serveContract(
      contract,
      {
        calls: {
          'labels.apply': ({ changes }) => {
            received.push(changes[0]?.runs);
            const state: LabelState = { seriesId: 's1' as SeriesId, revision: 1, dimensions: [4, 3, 2], segments: [], strokes: changes[0]?.runs ?? new Uint8Array(0), accepted: new Uint8Array(0) };
            return ok(state);
          },
        },
        streams: {},
      },
      serverSide,
    );
    const client = createRpcClient(contract, clientSide);
    const runs = runsToBytes(runsFromLayer(layer()));
    const answer = await client.call('labels.apply', { changes: [{ layer: 'strokes', runs }] });
    if (!answer.ok) throw new Error(answer.error.message);
    expect(received[0]).toBeInstanceOf(Uint8Array);
    expect([...(received[0] as Uint8Array)]).toEqual([...runs]);
    expect(answer.value.strokes).toBeInstanceOf(Uint8Array);
    const back = new Uint8Array(24);
    applyRuns(back, decodeRuns(answer.value.strokes, 24));
    expect(back).toEqual(layer());
    clientSide.close();
  });

  it.each(transports)('a trainer slice and a label delta keep their bytes over %s', (_name, clone) => {
    const runs = runsToBytes(runsFromLayer(layer()));
    const slice = clone({ type: 'slice', modelVersion: 2, k: 1, runs, labels: [2], slicesDone: 1, slicesTotal: 2 });
    const parsedSlice = interactiveEventSchema.parse(slice);
    expect(parsedSlice.type === 'slice' && [...parsedSlice.runs]).toEqual([...runs]);
    const delta = interactiveLabelsParamsSchema.parse(clone({ sessionId: 's', full: true, strokes: runs }));
    expect(delta.strokes).toBeInstanceOf(Uint8Array);
    expect([...(delta.strokes ?? [])]).toEqual([...runs]);
  });

  it('refuses label runs sent as text, naming the field', () => {
    expect(layerChangeSchema.safeParse({ layer: 'strokes', runs: 'AAAAAAAAAAAA' }).error?.issues[0]).toMatchObject({ path: ['runs'], message: expect.stringMatching(/expected bytes/) });
    expect(importSegResultSchema.safeParse({ runs: 'AAAA', segments: segmentListSchema.parse([]), framesByReference: 0, framesByPosition: 0, overlappingVoxels: 0 }).success).toBe(false);
    expect(interactiveLabelsParamsSchema.safeParse({ sessionId: 's', full: false, accepted: 'AAAA' }).success).toBe(false);
  });
});
