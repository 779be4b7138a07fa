/**
 * The browser host's server: the renderer build over HTTP and the app
 * contract over a WebSocket at /rpc, on 127.0.0.1 only, both behind the
 * launch token (see requestGuard.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { securityHeaders } from '../shared/securityHeaders';
import { appContract, type AppContract } from '../shared/contract/appContract';
import { serveContract, type ServiceHandlers } from '../shared/rpc/server';
import { mimeTypeFor, resolveStaticPath } from '../services/staticFiles';
import { parseSeriesFilePath, type ResolveSeriesFile } from '../services/seriesFileRoute';
import { viewerFileBytes } from '../dicom/pixels/viewerFileBytes';
import { guardHttpRequest, type GuardDecision } from './requestGuard';
import { createWebSocketTransport } from './webSocketTransport';

export interface HostServerOptions {
  /** The renderer build (dist/renderer). */
  readonly rendererDir: string;
  readonly token: string;
  readonly services: ServiceHandlers<AppContract>;
  /** Serves `files/<seriesId>/<index>` to the viewer from the workspace index. */
  readonly resolveSeriesFile: ResolveSeriesFile;
  readonly log: (line: string) => void;
}

export interface HostServer {
  /** Listens on 127.0.0.1; resolves with the bound port and the URL to open. */
  listen(port: number): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createHostServer(options: HostServerOptions): HostServer {
  let boundPort = -1;
  const guard = (request: IncomingMessage, isUpgrade: boolean): GuardDecision =>
    guardHttpRequest({ url: request.url ?? '/', headers: request.headers }, { token: options.token, port: boundPort }, isUpgrade);

  const refuse = (response: ServerResponse, status: number, reason: string): void => {
    response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${reason}\n`);
  };

  const server = createServer((request, response) => {
    void (async () => {
      const decision = guard(request, false);
      if (decision.kind === 'refuse') {
        options.log(`refused ${request.method ?? '?'} ${redactToken(request.url)}: ${decision.reason}`);
        refuse(response, decision.status, decision.reason);
        return;
      }
      if (decision.kind === 'redirect') {
        response.writeHead(302, { ...securityHeaders, Location: decision.location, 'Set-Cookie': decision.setCookie });
        response.end();
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        refuse(response, 405, 'Only GET and HEAD are served.');
        return;
      }
      const seriesFile = parseSeriesFilePath(decision.path);
      const resolved = seriesFile !== null
        ? (() => {
            const found = options.resolveSeriesFile(seriesFile.seriesId, seriesFile.index);
            return found === null ? { refused: 'not an indexed series file' } : { file: found.path };
          })()
        : resolveStaticPath(options.rendererDir, decision.path);
      if ('refused' in resolved) {
        refuse(response, seriesFile !== null ? 404 : 403, `Refused: ${resolved.refused}.`);
        return;
      }
      try {
        const info = await stat(resolved.file);
        if (!info.isFile()) throw new Error('not a file');
        const body = seriesFile !== null ? await viewerFileBytes(await readFile(resolved.file), resolved.file) : await readFile(resolved.file);
        const type = seriesFile !== null ? 'application/dicom' : mimeTypeFor(resolved.file);
        response.writeHead(200, { ...securityHeaders, 'Content-Type': type, 'Content-Length': body.length });
        response.end(request.method === 'HEAD' ? undefined : body);
      } catch {
        refuse(response, 404, `Not found: ${decision.path}`);
      }
    })();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const decision = guard(request, true);
    if (decision.kind !== 'allow' || decision.path !== '/rpc') {
      const reason = decision.kind === 'refuse' ? decision.reason : 'WebSocket endpoint is /rpc.';
      options.log(`refused WebSocket ${redactToken(request.url)}: ${reason}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const transport = createWebSocketTransport(ws);
      const rpc = serveContract(appContract, options.services, transport, {
        onRejected: (problem) => options.log(`rejected message: ${problem}`),
      });
      transport.onClose(() => rpc.dispose());
    });
  });

  return {
    listen(port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          const address = server.address();
          if (address === null || typeof address === 'string') {
            reject(new Error('The host did not bind a TCP port.'));
            return;
          }
          boundPort = address.port;
          resolve({ port: boundPort, url: `http://127.0.0.1:${boundPort}/?token=${options.token}` });
        });
      });
    },
    close() {
      for (const client of sockets.clients) client.terminate();
      return new Promise((resolve) => {
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Logs must not carry the token. */
function redactToken(url: string | undefined): string {
  return (url ?? '').replace(/token=[^&]*/g, 'token=…');
}
