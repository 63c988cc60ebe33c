// The floor: a bare node:http worker that answers every request with a tiny /health JSON, on fd 3 or on --listen HOST:PORT.
import { createServer } from 'node:http';

let requests = 0;
const server = createServer((_req, res) => {
  requests += 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok', name: 'bare', pid: process.pid, activation: 'systemd', requests }));
});

const at = process.argv.indexOf('--listen');
const listen = at > 0 ? process.argv[at + 1] : undefined;
if (listen) {
  const sep = listen.lastIndexOf(':');
  server.listen(Number(listen.slice(sep + 1)), listen.slice(0, sep));
} else {
  server.listen({ fd: 3 }); // systemd's first inherited socket (SD_LISTEN_FDS_START)
}
process.on('SIGTERM', () => server.close(() => process.exit(0)));
