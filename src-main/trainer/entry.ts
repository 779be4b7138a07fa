/**
 * The trainer process. Started by a supervisor (trainerSupervisor.ts) as an
 * Electron utilityProcess, a Node child process or a worker thread; serves
 * the trainer contract on that channel and exits when the parent goes away.
 * Bundled to dist/main/trainer.cjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ProbeReport } from '../shared/contract/compute';
import { ok } from '../shared/result';
import { serveContract } from '../shared/rpc/server';
import type { JobBackend } from './jobs/jobContext';
import { createJobQueue } from './jobs/jobQueue';
import { runFinetuneJob } from './jobs/finetuneJob';
import { runInferJob } from './jobs/inferJob';
import { LiveSessions, runInteractiveJob } from './jobs/interactiveJob';
import { runPretrainJob } from './jobs/pretrainJob';
import { openParentChannel } from './processChannel';
import { applyConvGradSetting } from './convGradSetting';
import { runProbe } from './probe';
import { trainerContract } from '../shared/contract/trainer/protocol';

const startedAt = Date.now();
// No prefix: every spawner prefixes the lines of the trainer it started.
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// An exception nobody caught leaves tfjs and the GPU in an unknown state: log
// it and exit, so the supervisor starts a clean trainer. A stray rejection is
// logged but survived: it has already failed only its own call.
process.on('uncaughtException', (error) => {
  log(`uncaught exception, exiting: ${describeError(error)}`);
  process.exit(70);
});
process.on('unhandledRejection', (reason) => log(`unhandled promise rejection: ${describeError(reason)}`));

const convGradProblem = applyConvGradSetting(process.env);
if (convGradProblem !== null) log(convGradProblem);

const channel = openParentChannel();
if (channel === null) {
  log('started without a parent channel (no utilityProcess parentPort, worker parentPort or IPC); run it through the app, `npm run serve` or the CLI.');
  process.exit(2);
}

// One probe or job at a time: a probe switches tfjs's global backend, and
// jobs share the one device.
const queue = createJobQueue();
const sessions = new LiveSessions();
let lastReport: ProbeReport | null = null;
const backend = (): JobBackend =>
  lastReport === null ? { kind: tf.getBackend(), device: 'not probed' } : { kind: lastReport.chosen.backend, device: lastReport.chosen.device };

/** Runs a job in the queue, logging its start and outcome. */
async function job(name: string, work: () => Promise<unknown>): Promise<void> {
  await queue.run(async () => {
    const started = Date.now();
    log(`${name} started on ${backend().kind}`);
    try {
      await work();
      log(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (thrown) {
      log(`${name} ended: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      throw thrown;
    }
  });
}

serveContract(
  trainerContract,
  {
    calls: {
      probe: ({ preference }) =>
        queue.run(async () => {
          lastReport = await runProbe(preference, { log });
          return ok(lastReport);
        }),
      ping: () => ok({ pid: process.pid, uptimeMs: Date.now() - startedAt }),
      'interactive.labels': ({ sessionId, ...delta }) => ok(sessions.get(sessionId).labels(delta)),
      'interactive.focus': ({ sessionId, k }) => ok(sessions.get(sessionId).setFocus(k)),
      'interactive.control': async ({ sessionId, action }) => ok(await sessions.get(sessionId).control(action)),
    },
    streams: {
      pretrain: (params, emit, signal) => job('pretrain', () => runPretrainJob(params, { emit, signal, backend: backend() })),
      finetune: (params, emit, signal) => job('finetune', () => runFinetuneJob(params, { emit, signal, backend: backend() })),
      infer: (params, emit, signal) => job('infer', () => runInferJob(params, { emit, signal, backend: backend() })),
      interactive: async (params, emit, signal) => {
        log(`interactive session ${params.sessionId} started on ${backend().kind}`);
        try {
          await runInteractiveJob(params, { emit, signal, backend: backend(), sessions });
          log(`interactive session ${params.sessionId} ended`);
        } catch (thrown) {
          log(`interactive session ${params.sessionId} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
          throw thrown;
        }
      },
    },
  },
  channel.transport,
  { onRejected: (problem) => log(`refused a message: ${problem}`) },
);

channel.transport.onClose((reason) => {
  log(`channel closed (${reason}); exiting`);
  process.exit(0);
});
log(`ready (${channel.kind}, node ${process.version})`);
