/**
 * One DICOMweb server, through dicomweb-client (it builds the QIDO/WADO/STOW
 * URLs and Accept headers and encodes/decodes the multipart bodies). Every
 * call runs over NodeXhr (nodeXhr.ts) so it can trust a certificate, time
 * out and be cancelled, and every failure becomes a PacsError naming the
 * server and the step.
 */
import { api } from 'dicomweb-client';
import { parseHeaderBytes } from '../dicom/header/parseDicomHeader';
import { dicomJsonArraySchema, type DicomJsonDataset } from './dicomJson';
import { describeFailure } from './pacsFailure';
import { PacsError } from './pacsError';
import { NodeXhr } from './nodeXhr';

export type PacsAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

/** Where a server is and how to talk to it (secrets included: never log this). */
export interface PacsEndpoint {
  /** The name the user gave it, used in every message. */
  readonly name: string;
  /** DICOMweb base URL, e.g. http://pacs:8042/dicom-web. */
  readonly baseUrl: string;
  readonly auth: PacsAuth;
  /** A certificate (PEM) the user chose to trust for this server, or null. */
  readonly certificatePem: string | null;
  /** A request fails when the server is silent this long (default 30 s). */
  readonly idleTimeoutMs?: number;
}

interface RequestOptions {
  readonly instance: NodeXhr;
  progressCallback?: (event: { loaded: number }) => void;
}

/** The subset of dicomweb-client's DICOMwebClient used here (its bundled types omit `request`). */
interface DicomWebCalls {
  searchForStudies(options: { queryParams: Record<string, string>; request: RequestOptions }): Promise<unknown>;
  searchForSeries(options: { studyInstanceUID?: string; queryParams: Record<string, string>; request: RequestOptions }): Promise<unknown>;
  searchForInstances(options: { studyInstanceUID: string; seriesInstanceUID: string; queryParams: Record<string, string>; request: RequestOptions }): Promise<unknown>;
  retrieveSeriesMetadata(options: { studyInstanceUID: string; seriesInstanceUID: string; request: RequestOptions }): Promise<unknown>;
  retrieveInstance(options: { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string; request: RequestOptions }): Promise<unknown>;
  storeInstances(options: { datasets: ArrayBuffer[]; studyInstanceUID?: string; request: RequestOptions }): Promise<unknown>;
}

const defaultIdleTimeoutMs = 30_000;

/**
 * Ask for each instance in the transfer syntax the server holds it in: no
 * transcoding on the server (about a quarter faster from Orthanc), and the
 * importer reads the compressed syntaxes itself. dicomweb-client 0.11's
 * retrieveInstance refuses its own `mediaTypes` option ("Media type
 * application/ is not supported"), so a request hook, the library's way to
 * adjust a request, sets the Accept header of instance retrieves.
 */
const instanceAccept = 'multipart/related; type="application/dicom"; transfer-syntax=*';
function acceptAsStored(request: NodeXhr, metadata: { method: string; url: string; headers: Record<string, string> }): NodeXhr {
  if (metadata.method === 'get' && /\/instances\/[0-9.]+$/.test(metadata.url) && metadata.headers.Accept?.startsWith('multipart/related; type="application/dicom"') === true) {
    request.setRequestHeader('Accept', instanceAccept);
  }
  return request;
}

/** Checks a base URL: http or https, no credentials or query in it. */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PacsError('bad-request', `"${raw}" is not a URL; a DICOMweb base URL looks like https://pacs.example.org/dicom-web.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PacsError('bad-request', `${raw}: a DICOMweb base URL starts with https:// (or http://), not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new PacsError('bad-request', `${url.host}: put the user name and password in the connection's authentication, not in the URL.`);
  if (url.search !== '' || url.hash !== '') throw new PacsError('bad-request', `${raw}: a base URL has no query (?) or fragment (#).`);
  return url.toString().replace(/\/+$/, '');
}

function authHeaders(auth: PacsAuth): Record<string, string> {
  if (auth.kind === 'basic') return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
  if (auth.kind === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  return {};
}

/**
 * A server (or a proxy or cache in front of it) that answers with another
 * instance than the one asked for would put the wrong patient's pixels
 * under this UID in the store: the file's own SOP Instance UID must match.
 */
function checkSopInstanceUid(label: string, step: string, bytes: Uint8Array, expected: string): void {
  const parsed = parseHeaderBytes(bytes, bytes.length, true);
  if (parsed === null || !parsed.ok) throw new PacsError('malformed', `${label}: ${step}: the DICOM file received cannot be read (${parsed?.ok === false ? parsed.reason : 'no data set'}).`);
  const received = parsed.dataSet.string('x00080018')?.replace(/\0/g, '').trim() ?? '';
  if (received !== expected) {
    throw new PacsError('malformed', `${label}: ${step}: the server sent another instance (SOP Instance UID ${received === '' ? 'missing' : received}) than the one asked for (${expected}); it is not stored.`);
  }
}

export class PacsClient {
  readonly label: string;
  private readonly calls: DicomWebCalls;

  constructor(readonly endpoint: PacsEndpoint) {
    const url = checkBaseUrl(endpoint.baseUrl);
    this.label = `${endpoint.name} (${url})`;
    this.calls = new api.DICOMwebClient({ url, headers: authHeaders(endpoint.auth), requestHooks: [acceptAsStored], verbose: false, singlepart: false }) as unknown as DicomWebCalls;
  }

  /** Runs one dicomweb-client call over a fresh NodeXhr; failures become PacsErrors naming `step`. */
  private async request<T>(step: string, signal: AbortSignal | undefined, run: (request: RequestOptions) => Promise<unknown>, onBytes?: (loaded: number) => void): Promise<T> {
    const xhr = new NodeXhr({ certificatePem: this.endpoint.certificatePem, idleTimeoutMs: this.endpoint.idleTimeoutMs ?? defaultIdleTimeoutMs, signal });
    const request: RequestOptions = { instance: xhr, ...(onBytes === undefined ? {} : { progressCallback: (event) => onBytes(event.loaded) }) };
    // A handler that throws (malformed multipart) leaves the library's promise pending: race it with the request's end.
    const handlerFailed = xhr.finished.then(() => {
      if (xhr.handlerError !== null) throw xhr.handlerError;
      return new Promise<never>(() => undefined);
    });
    try {
      return (await Promise.race([run(request), handlerFailed])) as T;
    } catch (thrown) {
      throw describeFailure(this.label, step, xhr, thrown);
    }
  }

  /** QIDO-RS studies matching `query` (DICOM attribute keywords or tags), paged. */
  async searchStudies(query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const answer = await this.request('search studies', signal, (request) => this.calls.searchForStudies({ queryParams: { ...query }, request }));
    return this.datasets('search studies', answer);
  }

  /** QIDO-RS series of one study. */
  async searchSeries(studyInstanceUid: string, query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const step = `search series of study ${studyInstanceUid}`;
    const answer = await this.request(step, signal, (request) => this.calls.searchForSeries({ studyInstanceUID: studyInstanceUid, queryParams: { ...query }, request }));
    return this.datasets(step, answer);
  }

  /** QIDO-RS series of every study (the server's /series resource), for a query across studies. */
  async searchAllSeries(query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const answer = await this.request('search series', signal, (request) => this.calls.searchForSeries({ queryParams: { ...query }, request }));
    return this.datasets('search series', answer);
  }

  /** WADO-RS metadata of every instance of a series: the headers, without pixels. */
  async seriesMetadata(studyInstanceUid: string, seriesInstanceUid: string, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const step = `read the headers of series ${seriesInstanceUid}`;
    const answer = await this.request(step, signal, (request) => this.calls.retrieveSeriesMetadata({ studyInstanceUID: studyInstanceUid, seriesInstanceUID: seriesInstanceUid, request }));
    return this.datasets(step, answer);
  }

  /** QIDO-RS instances of one series. */
  async searchInstances(studyInstanceUid: string, seriesInstanceUid: string, query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<DicomJsonDataset[]> {
    const step = `list instances of series ${seriesInstanceUid}`;
    const answer = await this.request(step, signal, (request) =>
      this.calls.searchForInstances({ studyInstanceUID: studyInstanceUid, seriesInstanceUID: seriesInstanceUid, queryParams: { ...query }, request }),
    );
    return this.datasets(step, answer);
  }

  /** WADO-RS one instance as a DICOM Part 10 file, checked to be one and to be the instance asked for. */
  async retrieveInstance(uids: { study: string; series: string; sop: string }, signal?: AbortSignal, onBytes?: (loaded: number) => void): Promise<Uint8Array> {
    const step = `retrieve instance ${uids.sop}`;
    const part = await this.request<unknown>(
      step,
      signal,
      (request) => this.calls.retrieveInstance({ studyInstanceUID: uids.study, seriesInstanceUID: uids.series, sopInstanceUID: uids.sop, request }),
      onBytes,
    );
    if (!(part instanceof ArrayBuffer)) throw new PacsError('malformed', `${this.label}: ${step}: the answer held no DICOM part (malformed or empty multipart).`);
    const bytes = new Uint8Array(part);
    const magic = Buffer.from(bytes.subarray(128, 132)).toString('latin1');
    if (bytes.length < 132 || magic !== 'DICM') throw new PacsError('malformed', `${this.label}: ${step}: the part received (${bytes.length} bytes) is not a DICOM file.`);
    checkSopInstanceUid(this.label, step, bytes, uids.sop);
    return bytes;
  }

  /** STOW-RS: stores Part 10 files; the answer is the server's DICOM JSON store report. */
  async storeInstances(files: readonly Uint8Array[], studyInstanceUid: string | null, signal?: AbortSignal): Promise<DicomJsonDataset | null> {
    const step = 'store (STOW-RS)';
    const datasets = files.map((file) => file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const answer = await this.request<unknown>(step, signal, (request) =>
      this.calls.storeInstances({ datasets, ...(studyInstanceUid === null ? {} : { studyInstanceUID: studyInstanceUid }), request }),
    );
    if (typeof answer !== 'string' || answer.trim() === '') return null;
    let json: unknown;
    try {
      json = JSON.parse(answer);
    } catch {
      return null; // some servers answer XML or nothing; the status code already said it was stored
    }
    const parsed = dicomJsonArraySchema.safeParse(Array.isArray(json) ? json : [json]);
    return parsed.success ? (parsed.data[0] ?? null) : null;
  }

  private datasets(step: string, answer: unknown): DicomJsonDataset[] {
    if (Array.isArray(answer) && answer.length === 0) return [];
    const parsed = dicomJsonArraySchema.safeParse(answer);
    if (!parsed.success) throw new PacsError('malformed', `${this.label}: ${step}: the answer is not DICOM JSON (${answer === null ? 'not JSON' : (parsed.error.issues[0]?.message ?? 'wrong shape')}).`);
    return parsed.data;
  }
}
