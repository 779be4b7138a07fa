/**
 * The trainer process. Started by a supervisor (trainerSupervisor.ts) as an
 * Electron utilityProcess, a Node child process or a worker thread; serves
 * the trainer contract on that channel and exits when the parent goes away.
 * Bundled to dist/main/trainer.cjs.
 */
import { ok } from '../shared/result';
import { serveContract } from '../shared/rpc/server';
import { openParentChannel } from './processChannel';
import { runProbe } from './probe';
import { trainerContract } from './protocol';

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

const channel = openParentChannel();
if (channel === null) {
  log('started without a parent channel (no utilityProcess parentPort, worker parentPort or IPC); run it through the app, `npm run serve` or the CLI.');
  process.exit(2);
}

// One probe at a time: each one switches tfjs's global backend.
let probing: Promise<unknown> = Promise.resolve();

serveContract(
  trainerContract,
  {
    calls: {
      probe: ({ preference }) => {
        const next = probing.then(async () => ok(await runProbe(preference, { log })));
        probing = next.catch(() => undefined);
        return next;
      },
      ping: () => ok({ pid: process.pid, uptimeMs: Date.now() - startedAt }),
    },
    streams: {},
  },
  channel.transport,
  { onRejected: (problem) => log(`refused a message: ${problem}`) },
);

channel.transport.onClose((reason) => {
  log(`channel closed (${reason}); exiting`);
  process.exit(0);
});
log(`ready (${channel.kind}, node ${process.version})`);
