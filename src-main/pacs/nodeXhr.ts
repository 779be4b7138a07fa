/**
 * The part of XMLHttpRequest that dicomweb-client uses, over node:http and
 * node:https. Node has no XMLHttpRequest, and dicomweb-client creates one per
 * call unless it is handed an instance (`request.instance`), so every call
 * made by PacsClient passes one of these. Doing the transport here, rather
 * than through a global polyfill, is what lets a connection trust exactly
 * one extra certificate, time out, be cancelled, and say WHY a request failed
 * (a browser XHR only reports status 0).
 */
import http from 'node:http';
import https from 'node:https';

export interface NodeXhrOptions {
  /** Extra trusted certificate (PEM) for a server with a self-signed or private-CA certificate. */
  readonly certificatePem: string | null;
  /** A request fails when the server sends nothing for this long. */
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

interface ProgressLike {
  readonly loaded: number;
  readonly total: number;
  readonly lengthComputable: boolean;
}

/** Why a request got no HTTP answer (status 0). */
export interface NetworkFailure {
  /** Node's error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ...), 'TIMEOUT', 'ABORTED' or 'TRUNCATED'. */
  readonly code: string;
  readonly message: string;
}

const done = 4;

export class NodeXhr {
  readyState = 0;
  status = 0;
  responseType: '' | 'text' | 'json' | 'arraybuffer' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onprogress: ((event: ProgressLike) => void) | null = null;
  onloadstart: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  /** Set when no complete HTTP answer came (status stays 0). */
  networkFailure: NetworkFailure | null = null;
  /** The response body as text (for the server's reason on errors), capped. */
  bodyText = '';
  /** An exception thrown by dicomweb-client while handling the answer (e.g. malformed multipart). */
  handlerError: unknown = null;
  /** Settles once the request has finished and its handler has run. */
  readonly finished: Promise<void>;
  private finish: () => void = () => undefined;
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private responseHeaders: http.IncomingHttpHeaders = {};

  constructor(private readonly options: NodeXhrOptions) {
    this.finished = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
  }

  open(method: string, url: string): void {
    this.method = method.toUpperCase();
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const value = this.responseHeaders[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  getAllResponseHeaders(): string {
    return Object.entries(this.responseHeaders)
      .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`)
      .join('\r\n');
  }

  send(data?: ArrayBuffer | Uint8Array | string): void {
    const url = new URL(this.url);
    const body = data === undefined ? undefined : typeof data === 'string' ? Buffer.from(data) : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
    const headers = { ...this.headers, ...(body === undefined ? {} : { 'Content-Length': String(body.length) }) };
    const requestOptions: https.RequestOptions = { method: this.method, headers, ...(this.options.certificatePem === null ? {} : { ca: this.options.certificatePem }), rejectUnauthorized: true };
    const transport = url.protocol === 'https:' ? https : http;
    const { signal } = this.options;
    if (signal?.aborted === true) {
      this.fail({ code: 'ABORTED', message: 'cancelled' });
      return;
    }
    const request = transport.request(url, requestOptions, (response) => this.receive(response));
    const onAbort = (): void => {
      request.destroy();
      this.fail({ code: 'ABORTED', message: 'cancelled' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void this.finished.then(() => signal?.removeEventListener('abort', onAbort));
    request.setTimeout(this.options.idleTimeoutMs, () => {
      request.destroy();
      this.fail({ code: 'TIMEOUT', message: `no answer for ${Math.round(this.options.idleTimeoutMs / 1000)} s` });
    });
    request.on('error', (error: NodeJS.ErrnoException) => this.fail({ code: error.code ?? 'ERROR', message: error.message }));
    this.onloadstart?.();
    request.end(body);
  }

  private receive(response: http.IncomingMessage): void {
    this.responseHeaders = response.headers;
    const chunks: Buffer[] = [];
    let loaded = 0;
    const total = Number(response.headers['content-length'] ?? Number.NaN);
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      loaded += chunk.length;
      this.onprogress?.({ loaded, total: Number.isFinite(total) ? total : 0, lengthComputable: Number.isFinite(total) });
    });
    response.on('error', () => this.fail({ code: 'TRUNCATED', message: `the connection closed after ${loaded} bytes of the answer` }));
    response.on('end', () => {
      if (!response.complete) {
        this.fail({ code: 'TRUNCATED', message: `the connection closed after ${loaded} bytes of the answer` });
        return;
      }
      const buffer = Buffer.concat(chunks);
      this.bodyText = buffer.subarray(0, 4096).toString('utf8');
      this.status = response.statusCode ?? 0;
      this.response = this.decode(buffer);
      this.complete();
    });
  }

  private decode(buffer: Buffer): unknown {
    if (this.responseType === 'arraybuffer') return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const text = buffer.toString('utf8');
    if (this.responseType !== 'json') return text;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null; // as a browser's XHR does: the caller sees a missing body and says it is malformed
    }
  }

  private fail(failure: NetworkFailure): void {
    if (this.readyState === done) return;
    this.networkFailure = failure;
    this.status = 0;
    this.response = null;
    this.complete();
  }

  private complete(): void {
    if (this.readyState === done) return;
    this.readyState = done;
    try {
      this.onreadystatechange?.();
      this.onloadend?.();
    } catch (thrown) {
      // dicomweb-client decodes multipart inside this handler; a malformed
      // answer throws here, where its promise would otherwise never settle.
      this.handlerError = thrown;
    }
    this.finish();
  }
}
