// Runs inside Orthanc's private network namespace (started through nsenter):
// accepts connections on a Unix socket, which the test process can reach
// through the shared file system, and joins each to Orthanc's HTTP port on
// the namespace's own loopback. Usage: node namespaceBridge.mjs SOCKET PORT
import net from 'node:net';

const [socketPath, port] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(Number(port), '127.0.0.1');
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
