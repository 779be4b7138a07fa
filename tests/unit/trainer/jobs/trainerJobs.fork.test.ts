/**
 * The job streams in a REAL trainer process: the trainer entry is bundled
 * as scripts/build.mjs bundles it (under build/, so externals resolve from
 * this project's node_modules), forked, probed on the cpu backend, then a
 * tiny fine-tune runs to 'done' and a long one is cancelled after its first
 * step and stops there, leaving the trainer free for the next job.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkSpawner } from '../../../../src-main/services/forkTrainer';
import type { TrainerProcess } from '../../../../src-main/services/trainerSpawner';
import { createRpcClient, type RpcClient, type StreamEnd } from '../../../../src-main/shared/rpc/client';
import type { FinetuneEvent, FinetuneParams } from '../../../../src-main/shared/contract/trainer/jobSchemas';
import { trainerContract, type TrainerContract } from '../../../../src-main/shared/contract/trainer/protocol';
import { openModelRegistry } from '../../../../src-main/workspace/modelRegistry';
import { bundleTrainer } from '../../../support/bundleTrainer';
import { tempFolder, writePhantomFiles, type PhantomFiles } from './jobFixtures';

const temp = tempFolder('trainer-jobs');
const workspaceDir = path.join(temp.dir, 'ws');
const trainerLog: string[] = [];
let outDir = '';
let files: PhantomFiles;
let child: TrainerProcess;
let client: RpcClient<TrainerContract>;

beforeAll(async () => {
  files = writePhantomFiles(temp.dir);
  const bundle = await bundleTrainer('test-trainer-jobs');
  outDir = bundle.dir;
  const trainerPath = bundle.trainerPath;
  child = createForkSpawner(trainerPath, { output: (line) => trainerLog.push(line) })({ env: {} });
  client = createRpcClient(trainerContract, child.transport);
  const probe = await client.call('probe', { preference: 'cpu' });
  expect(probe.ok, trainerLog.join('\n')).toBe(true);
});

afterAll(async () => {
  if (client !== undefined) {
    const exited = new Promise((resolve) => child.onExit(resolve));
    client.close();
    await exited;
  }
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  temp.cleanup();
});

const params = (out: string, steps: number): FinetuneParams => ({ workspaceDir, image: { path: files.image }, labels: files.labels, out, steps, size: 32, batch: 2, width: 4 });

/** Listens to a finetune stream; `onEvent` may cancel it. */
function finetune(p: FinetuneParams, onEvent: (event: FinetuneEvent, cancel: () => Promise<void>) => void = () => undefined): Promise<{ events: FinetuneEvent[]; end: StreamEnd }> {
  return new Promise((resolve) => {
    const events: FinetuneEvent[] = [];
    const subscription = client.listen('finetune', p, {
      onEvent: (event) => {
        events.push(event);
        onEvent(event, () => subscription.cancel());
      },
      onEnd: (end) => resolve({ events, end }),
    });
  });
}

describe('trainer process job streams', () => {
  it('runs a tiny fine-tune to done, with progress events and the model in the registry', async () => {
    const { events, end } = await finetune(params('fork-model', 2));
    expect(end, trainerLog.join('\n')).toEqual({ reason: 'done' });
    expect(events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.step)).toEqual([1, 2]);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', model: { name: 'fork-model', kind: 'finetuned', steps: 2, backend: 'cpu' } });
    const record = await (await openModelRegistry(workspaceDir)).find('fork-model');
    expect(record.id).toBe(done?.type === 'done' ? done.model.id : '');
  });

  it('stops a long fine-tune when its stream is cancelled, and stays free for the next job', async () => {
    const { events, end } = await finetune(params('fork-cancelled', 500), (event, cancel) => {
      if (event.type === 'progress' && event.step === 1) void cancel();
    });
    expect(end.reason).toBe('cancelled');
    expect(events.filter((e) => e.type === 'progress').length).toBe(1);
    // The next job only starts once the cancelled one has left the queue.
    const next = await finetune(params('fork-after', 1));
    expect(next.end.reason).toBe('done');
    expect(trainerLog.join('\n')).toMatch(/finetune ended: Fine-tuning "fork-cancelled" at step [12] was cancelled/);
    expect(await (await openModelRegistry(workspaceDir)).latest('fork-cancelled')).toBeNull();
    const ping = await client.call('ping', {});
    expect(ping.ok).toBe(true);
  });

  it('ends a stream with bad parameters as failed, naming the problem', async () => {
    const { end } = await finetune({ ...params('bad', 1), size: 40 });
    expect(end.reason).toBe('failed');
    expect(end.error?.message).toMatch(/size must be a positive multiple of 16, got 40/);
  });
});
