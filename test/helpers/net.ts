// Loopback helpers for tests: a free port to bind or to find closed, and a plain GET.
import { get } from 'node:http';
import { createServer } from 'node:net';

/** A port nobody listens on right now: bind 127.0.0.1:0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** GET / on host:port (no agent) and resolve with the body, whatever the status. */
export function fetchText(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host, port, path: '/', agent: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => {
          body += d;
        })
        .on('end', () => resolve(body));
    }).on('error', reject);
  });
}
