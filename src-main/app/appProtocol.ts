/**
 * The app:// protocol: serves the renderer build (dist/renderer, inside
 * app.asar when packaged) on the one origin app://macl, with the app's CSP
 * on every response. Requests for other hosts, for paths outside the build,
 * or with other methods are refused.
 *
 * Files are read with fs (which Electron extends to asar archives) rather
 * than by fetching file:// URLs, so no file:// access is needed anywhere.
 */
import type { CustomScheme, Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { securityHeaders } from '../shared/securityHeaders';
import { parseSeriesFilePath, type ResolveSeriesFile } from '../services/seriesFileRoute';
import { viewerFileBytes } from '../dicom/pixels/viewerFileBytes';
import { appHost, appScheme, resolveAppUrl } from './appUrl';

/**
 * Registered before `ready` (main.ts). standard: relative URLs and a real
 * origin; secure: a secure context (WebGPU, crypto.subtle need one);
 * supportFetchAPI: the renderer fetches its wasm codecs; codeCache: faster
 * start. No bypassCSP, no CORS, no service workers.
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export interface AppRequestHandlerOptions {
  /** The renderer build folder. */
  readonly rootDir: string;
  readonly log: (line: string) => void;
  /** Serves `app://macl/files/<seriesId>/<index>` (DICOM bytes of an indexed slice) to the viewer. */
  readonly resolveSeriesFile?: ResolveSeriesFile;
  /** Injected for tests; defaults to fs.readFile (asar-aware inside Electron). */
  readonly readFile?: (file: string) => Promise<Uint8Array>;
}

function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Builds the request handler; separate from `installAppProtocol` so it runs in plain Node tests. */
export function createAppRequestHandler(options: AppRequestHandlerOptions): (request: Request) => Promise<Response> {
  const read = options.readFile ?? ((file: string) => readFile(file));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Only GET and HEAD are served.');
    const seriesFile = parseSeriesFilePath(new URL(request.url).pathname);
    if (seriesFile !== null && new URL(request.url).host === appHost) {
      const found = options.resolveSeriesFile?.(seriesFile.seriesId, seriesFile.index) ?? null;
      if (found === null) return textResponse(404, 'Not an indexed series file.');
      try {
        const bytes = await viewerFileBytes(await read(found.path), found.path);
        const headers = { ...securityHeaders, 'Content-Type': 'application/dicom', 'Content-Length': String(bytes.byteLength) };
        return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
      } catch {
        return textResponse(404, 'The series file is no longer readable.');
      }
    }
    const resolved = resolveAppUrl(request.url, options.rootDir);
    if ('refused' in resolved) {
      options.log(`app protocol: refused ${request.url.slice(0, 200)}: ${resolved.refused}`);
      return textResponse(resolved.status, `Refused: ${resolved.refused}.`);
    }
    let body: Uint8Array;
    try {
      body = await read(resolved.file);
    } catch {
      return textResponse(404, 'Not found.');
    }
    const headers = { ...securityHeaders, 'Content-Type': resolved.mimeType, 'Content-Length': String(body.byteLength) };
    // A fresh ArrayBuffer-backed copy: Response wants a BufferSource it may own.
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Serves app:// on `protocol` (the default session's). Call after `ready`. */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, options: AppRequestHandlerOptions): void {
  protocol.handle(appScheme, createAppRequestHandler(options));
}
