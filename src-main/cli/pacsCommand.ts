/**
 * `macl pacs search|retrieve|store`: the PACS panel's searches, retrieves
 * into the workspace store, and STOW-RS, from a script, with the same code.
 * Secrets come from the environment, never from the command line (which
 * other users can read in the process list).
 */
import { readFileSync } from 'node:fs';
import { createImportService } from '../importing/importService';
import { PacsClient, type PacsAuth, type PacsEndpoint } from '../pacs/pacsClient';
import { openPacsConnections } from '../pacs/pacsConnections';
import { PacsError } from '../pacs/pacsError';
import { retrieveSeriesToStore } from '../pacs/pacsRetrieve';
import { searchSeries, searchStudies } from '../pacs/pacsSearch';
import { sendFiles } from '../pacs/pacsSend';
import { workspaceSecretFile } from '../pacs/secretStore';
import { studyQuerySchema, type RetrieveProgress } from '../shared/contract/pacs';
import { defaultWorkspaceDir } from '../workspace/workspacePaths';
import { numberOption, parseArgs, stringOption, type OptionValues } from '../services/commandLineOptions';

export const pacsUsage = `Usage: macl pacs <search|retrieve|store> (--url URL | --connection NAME) [options]

  search [--patient-name N] [--patient-id ID] [--accession A] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
         [--modality M] [--limit 25] [--offset 0]   studies (QIDO-RS), one page
  search --study UID                                 the series of one study
  retrieve --study UID --series UID                  fetch a series (WADO-RS) into the workspace
                                                     store and import it; run again to resume
  store FILE...                                      send DICOM files, e.g. a DICOM-SEG (STOW-RS)

Server:
  --url URL          DICOMweb base URL, e.g. https://pacs.example.org/dicom-web
  --user NAME        HTTP basic authentication; the password is read from MACL_PACS_PASSWORD
  --bearer           bearer-token authentication; the token is read from MACL_PACS_TOKEN
  --ca FILE          trust this certificate (PEM) for the server, e.g. a self-signed one
  --connection NAME  a connection saved in the workspace (name or id) instead of --url
  --workspace DIR    the workspace (default: MACL_WORKSPACE or the documents folder)
  --timeout S        a request fails after S seconds without an answer (default 30)
  --json             machine-readable output

Exit codes: 0 done; 2 bad usage; 3 server unavailable or failing; 4 credentials or
certificate refused; 5 not found; 6 the server refused some instances (store); 1 other failures.`;

const specs = {
  url: { kind: 'string' },
  user: { kind: 'string' },
  bearer: { kind: 'flag' },
  ca: { kind: 'string' },
  connection: { kind: 'string' },
  workspace: { kind: 'string' },
  timeout: { kind: 'number', min: 1 },
  json: { kind: 'flag' },
  help: { kind: 'flag' },
  'patient-name': { kind: 'string' },
  'patient-id': { kind: 'string' },
  accession: { kind: 'string' },
  from: { kind: 'string' },
  to: { kind: 'string' },
  modality: { kind: 'string' },
  limit: { kind: 'int', min: 1 },
  offset: { kind: 'int', min: 0 },
  study: { kind: 'string' },
  series: { kind: 'string' },
} as const;

const exitOf: Readonly<Record<PacsError['code'], number>> = {
  unavailable: 3,
  server: 3,
  malformed: 3,
  denied: 4,
  certificate: 4,
  'not-found': 5,
  'bad-request': 2,
  cancelled: 1,
};

class UsageError extends Error {}

function secretFromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new UsageError(`${what} needs ${name} set in the environment.`);
  return value;
}

async function endpointOf(values: OptionValues, workspaceDir: string): Promise<PacsEndpoint> {
  const timeout = numberOption(values, 'timeout');
  const idle = timeout === undefined ? {} : { idleTimeoutMs: timeout * 1000 };
  const saved = stringOption(values, 'connection');
  if (saved !== undefined) {
    const store = openPacsConnections(workspaceDir, workspaceSecretFile(workspaceDir));
    const match = await store.find(saved);
    if (match === undefined) throw new UsageError(`No saved connection "${saved}" in ${workspaceDir}.`);
    return { ...(await store.endpoint(match.id)), ...idle };
  }
  const url = stringOption(values, 'url');
  if (url === undefined) throw new UsageError('Give the server: --url URL or --connection NAME.');
  const user = stringOption(values, 'user');
  const auth: PacsAuth =
    user !== undefined
      ? { kind: 'basic', username: user, password: secretFromEnv('MACL_PACS_PASSWORD', '--user') }
      : values.bearer === true
        ? { kind: 'bearer', token: secretFromEnv('MACL_PACS_TOKEN', '--bearer') }
        : { kind: 'none' };
  const ca = stringOption(values, 'ca');
  let certificatePem: string | null = null;
  if (ca !== undefined) {
    try {
      certificatePem = readFileSync(ca, 'utf8');
    } catch (thrown) {
      throw new UsageError(`--ca: cannot read ${ca}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }
  return { name: new URL(url).host || url, baseUrl: url, auth, certificatePem, ...idle };
}

const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

function progressLine(progress: RetrieveProgress): string {
  const eta = progress.etaSeconds === null ? '' : `, ${Math.ceil(progress.etaSeconds)} s left`;
  return `${progress.instancesDone}/${progress.instancesTotal} instances (${progress.instancesAlreadyPresent} already stored), ${megabytes(progress.bytesFetched)} MB at ${megabytes(progress.bytesPerSecond)} MB/s${eta}`;
}

async function run(command: string, values: OptionValues, positionals: readonly string[]): Promise<number> {
  const workspaceDir = stringOption(values, 'workspace') ?? defaultWorkspaceDir();
  const client = new PacsClient(await endpointOf(values, workspaceDir));
  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort(); // Ctrl-C: stop cleanly, keeping the instances already stored
  process.once('SIGINT', onInterrupt);
  try {
    return await runWith(command, values, positionals, client, workspaceDir, abort.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function runWith(command: string, values: OptionValues, positionals: readonly string[], client: PacsClient, workspaceDir: string, signal: AbortSignal): Promise<number> {
  const json = values.json === true;
  const study = stringOption(values, 'study');
  if (command === 'search') {
    if (study !== undefined) {
      const series = await searchSeries(client, study, signal);
      if (json) console.log(JSON.stringify(series, null, 2));
      else for (const row of series) console.log(`${row.seriesInstanceUid}  ${row.modality.padEnd(4)} #${row.seriesNumber ?? '-'}  ${row.instanceCount ?? '?'} instances  ${row.description}`);
      return 0;
    }
    const parsed = studyQuerySchema.safeParse({
      ...Object.fromEntries(
        (
          [
            ['patientName', 'patient-name'],
            ['patientId', 'patient-id'],
            ['accessionNumber', 'accession'],
            ['studyDateFrom', 'from'],
            ['studyDateTo', 'to'],
            ['modality', 'modality'],
          ] as const
        )
          .map(([key, option]) => [key, stringOption(values, option)])
          .filter(([, value]) => value !== undefined),
      ),
      offset: numberOption(values, 'offset') ?? 0,
      limit: numberOption(values, 'limit') ?? 25,
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    const page = await searchStudies(client, parsed.data, signal);
    if (json) console.log(JSON.stringify(page, null, 2));
    else {
      for (const row of page.studies) console.log(`${row.studyInstanceUid}  ${row.studyDate}  ${row.patientName} (${row.patientId})  ${row.modalities.join('/')}  ${row.seriesCount ?? '?'} series  ${row.description}`);
      if (page.more) console.log(`(more: --offset ${parsed.data.offset + parsed.data.limit})`);
    }
    return 0;
  }
  if (command === 'retrieve') {
    const series = stringOption(values, 'series');
    if (study === undefined || series === undefined) throw new UsageError('retrieve needs --study UID and --series UID.');
    const outcome = await retrieveSeriesToStore({
      client,
      workspaceDir,
      studyInstanceUid: study,
      seriesInstanceUid: series,
      signal,
      onProgress: json ? undefined : (progress) => process.stderr.write(`\r${progressLine(progress)}   `),
    });
    if (!json) process.stderr.write('\n');
    const report = await (await createImportService({ workspaceDir })).importPaths([outcome.folder]);
    const result = { ...outcome, series: report.series.map((summary) => ({ seriesId: summary.seriesId, slices: summary.sliceCount, description: summary.description })) };
    if (json) console.log(JSON.stringify(result, null, 2));
    else {
      const rate = outcome.seconds > 0 ? `${(outcome.fetched / outcome.seconds).toFixed(1)} instances/s, ${megabytes(outcome.bytesFetched / outcome.seconds)} MB/s` : '';
      console.log(`${outcome.fetched} fetched, ${outcome.alreadyPresent} already stored, ${megabytes(outcome.bytesFetched)} MB in ${outcome.seconds.toFixed(2)} s ${rate}`);
      console.log(`stored in ${outcome.folder}; imported as ${result.series.map((entry) => `${entry.seriesId} (${entry.slices} slices)`).join(', ')}`);
    }
    return 0;
  }
  if (command === 'store') {
    if (positionals.length === 0) throw new UsageError('store needs the files to send.');
    const result = await sendFiles(client, positionals, signal);
    if (json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`${result.server}: ${result.accepted.length} accepted, ${result.failures.length} failed`);
      for (const warning of result.warnings) console.log(`  warning: ${warning}`);
      for (const failed of result.failures) console.log(`  failed: ${failed.sopInstanceUid}: ${failed.reason}`);
    }
    return result.failures.length === 0 ? 0 : 6;
  }
  throw new UsageError(`Unknown pacs command "${command}".`);
}

export async function runPacsCommand(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  const parsed = parseArgs(rest, specs);
  if (command === undefined || command === '--help' || ('values' in parsed && parsed.values.help === true)) {
    console.log(pacsUsage);
    return command === undefined ? 2 : 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n\n${pacsUsage}`);
    return 2;
  }
  try {
    return await run(command, parsed.values, parsed.positionals);
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      console.error(`${thrown.message}\n\n${pacsUsage}`);
      return 2;
    }
    if (thrown instanceof PacsError) {
      console.error(`macl pacs ${command}: ${thrown.message}`);
      return exitOf[thrown.code];
    }
    throw thrown;
  }
}
