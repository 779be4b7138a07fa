/**
 * An HTTP(S) proxy on 127.0.0.1 in front of the test Orthanc that misbehaves
 * on request: answers an error status, sends malformed bodies, cuts an
 * answer short, or never answers. `fault` decides per request; null passes
 * the request through unchanged.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body: string }
  | { readonly kind: 'body'; readonly contentType: string; readonly body: string }
  /** Pass the request on, then send only this many bytes of the answer (with its full Content-Length) and drop the connection. */
  | { readonly kind: 'truncate'; readonly bytes: number }
  | { readonly kind: 'hang' }
  /** Pass the request on to another path of the upstream (e.g. another instance than the one asked for). */
  | { readonly kind: 'redirect'; readonly path: string };

export interface FaultProxy {
  readonly origin: string;
  /** Requests seen, by path. */
  readonly requests: string[];
  fault: (request: http.IncomingMessage) => Fault | null;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, tls?: { key: string; cert: string }): Promise<FaultProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = {
    origin: '',
    requests: [],
    fault: () => null,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  const handle = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    proxy.requests.push(request.url ?? '');
    const fault = proxy.fault(request);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'Content-Type': 'application/json' }).end(fault.body);
      return;
    }
    if (fault?.kind === 'body') {
      response.writeHead(200, { 'Content-Type': fault.contentType }).end(fault.body);
      return;
    }
    const target = new URL(fault?.kind === 'redirect' ? fault.path : (request.url ?? '/'), upstream);
    const forwarded = http.request(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        response.writeHead(answer.statusCode ?? 502, headers);
        if (fault?.kind === 'truncate') {
          response.write(body.subarray(0, fault.bytes), () => response.socket?.destroy());
        } else response.end(body);
      });
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  };
  const server = tls === undefined ? http.createServer(handle) : https.createServer(tls, handle);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return Object.assign(proxy, { origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}` });
}
