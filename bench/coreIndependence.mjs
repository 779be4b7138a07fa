// Whether this machine's processor cores run independent work at full speed
// at once: the ceiling any multi-threaded or data-parallel training can reach.
// Times a scalar loop and a memory sweep on one worker thread alone, then on
// N worker threads at once (N = the machine's cores, or the first argument).
// Prints the per-worker times and the throughput ratio.
//
//   node bench/coreIndependence.mjs [workers]
import { Worker } from 'node:worker_threads';
import os from 'node:os';

const workload = `
const { parentPort } = require('node:worker_threads');
const t0 = performance.now();
let x = 0;
for (let i = 0; i < 2e8; i++) x = (x * 1.0000001 + i) % 1e9;
const t1 = performance.now();
const a = new Float32Array(32 * 1024 * 1024); // 128 MiB: past every cache
for (let r = 0; r < 10; r++) for (let i = 0; i < a.length; i++) a[i] = a[i] * 0.5 + 1;
const t2 = performance.now();
parentPort.postMessage({ scalarMs: t1 - t0, sweepMs: t2 - t1, check: x + a[7] });
`;

function runWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workload, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function timed(count) {
  return Promise.all(Array.from({ length: count }, runWorker));
}

const workers = Number(process.argv[2] ?? os.availableParallelism());
if (!Number.isInteger(workers) || workers < 2) {
  console.error('usage: node bench/coreIndependence.mjs [workers >= 2]');
  process.exit(2);
}
const alone = (await timed(1))[0];
const together = await timed(workers);
const worst = (key) => Math.max(...together.map((r) => r[key]));
const line = (key, label) =>
  `${label.padEnd(12)} alone ${alone[key].toFixed(0)} ms; ${workers} at once ${together.map((r) => r[key].toFixed(0)).join(' / ')} ms; throughput ${((workers * alone[key]) / worst(key)).toFixed(2)}x of ${workers}`;
console.log(`core independence (${os.cpus()[0]?.model ?? 'unknown processor'}, ${os.availableParallelism()} cores)`);
console.log(line('scalarMs', 'scalar loop'));
console.log(line('sweepMs', 'memory sweep'));
