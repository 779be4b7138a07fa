/**
 * PACS retrieve benchmark: a synthetic 300-slice CT (512x512, 16-bit, written
 * with dcmjs) stored in a real Orthanc (DICOMweb plugin) in a private network
 * namespace, then retrieved over loopback with WADO-RS into a workspace
 * store by the app's own code (src-main/pacs/pacsRetrieve.ts), once per
 * concurrency level; prints instances/s and MB/s. Needs root and the Debian
 * packages orthanc, orthanc-dicomweb, orthanc-gdcm (see .ci/run).
 * Usage: node bench/pacsRetrieveBench.mjs [--slices 300] [--json]
 */
import console from 'node:console';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const { values } = parseArgs({ options: { slices: { type: 'string', default: '300' }, json: { type: 'boolean', default: false } } });
const slices = Number(values.slices);
const log = values.json ? () => undefined : (line) => console.error(`[bench] ${line}`);

const dir = mkdtempSync(path.join(tmpdir(), 'macl-pacs-bench-'));
// Inside the repository (dist/ is build output), so packages the bundle leaves out resolve from node_modules.
const outfile = path.join(root, 'dist', 'bench', 'pacsRetrieveSupport.mjs');
await build({
  stdin: {
    contents: [
      "export { orthancMissing, startOrthanc } from './tests/unit/pacs/helpers/orthanc';",
      "export { ctSlice, writeDcmjs } from './tests/unit/dicom/helpers/dcmjsWriter';",
      "export { PacsClient } from './src-main/pacs/pacsClient';",
      "export { retrieveSeriesToStore } from './src-main/pacs/pacsRetrieve';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning',
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
const support = await import(pathToFileURL(outfile).href);
const missing = support.orthancMissing();
if (missing !== null) {
  console.error(`pacs retrieve benchmark: ${missing}`);
  process.exit(1);
}

const series = '1.2.826.0.1.3680043.10.1234.77.900';
const sourceDir = path.join(dir, 'series');
mkdirSync(sourceDir);
log(`writing ${slices} slices of 512x512 CT`);
const files = [];
for (let k = 0; k < slices; k++) {
  const file = path.join(sourceDir, `ct${k}.dcm`);
  await support.writeDcmjs(file, support.ctSlice({ series, instance: k + 1, position: [0, 0, k * 1.25], rows: 512, columns: 512, fill: k }));
  files.push(file);
}
const orthanc = await support.startOrthanc();
const results = [];
try {
  log('storing them in Orthanc (REST)');
  for (const file of files) await orthanc.upload(file);
  const client = new support.PacsClient({ name: 'bench', baseUrl: orthanc.dicomWebUrl, auth: { kind: 'none' }, certificatePem: null });
  for (const concurrency of [1, 4, 8]) {
    const workspaceDir = path.join(dir, `ws-${concurrency}`);
    const outcome = await support.retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: '1.2.826.0.1.3680043.10.1234.77', seriesInstanceUid: series, concurrency });
    const result = { concurrency, instances: outcome.fetched, megabytes: outcome.bytesFetched / 1e6, seconds: outcome.seconds, instancesPerSecond: outcome.fetched / outcome.seconds, megabytesPerSecond: outcome.bytesFetched / 1e6 / outcome.seconds };
    results.push(result);
    log(`concurrency ${concurrency}: ${result.instances} instances, ${result.megabytes.toFixed(1)} MB in ${result.seconds.toFixed(2)} s: ${result.instancesPerSecond.toFixed(1)} instances/s, ${result.megabytesPerSecond.toFixed(1)} MB/s`);
    const againStarted = performance.now();
    const again = await support.retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: '1.2.826.0.1.3680043.10.1234.77', seriesInstanceUid: series, concurrency });
    result.againSeconds = (performance.now() - againStarted) / 1000;
    log(`  again (all present: the QIDO listing only): ${result.againSeconds.toFixed(2)} s, ${again.fetched} fetched`);
  }
  // Reference: the same instances with plain fetch, one at a time, no multipart decoding and no
  // writing: what the client and the atomic writes add on top of Orthanc and the loopback.
  const listed = await client.searchInstances('1.2.826.0.1.3680043.10.1234.77', series, {});
  const started = performance.now();
  let bytes = 0;
  for (const dataset of listed) {
    const sop = dataset['00080018'].Value[0];
    const response = await fetch(`${orthanc.dicomWebUrl}/studies/1.2.826.0.1.3680043.10.1234.77/series/${series}/instances/${sop}`, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } });
    bytes += (await response.arrayBuffer()).byteLength;
  }
  const seconds = (performance.now() - started) / 1000;
  results.push({ concurrency: 'plain fetch, sequential', instances: listed.length, megabytes: bytes / 1e6, seconds, instancesPerSecond: listed.length / seconds, megabytesPerSecond: bytes / 1e6 / seconds });
  log(`reference, plain fetch one at a time (no decoding, no writes): ${(listed.length / seconds).toFixed(1)} instances/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
} finally {
  await orthanc.close();
  rmSync(dir, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify({ benchmark: 'pacs-retrieve', slices, results }, null, 2));
