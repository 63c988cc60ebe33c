// One proxied connection: opens a TCP connection to the child and streams bytes both ways, half-closes included.
import { connect, type Socket } from 'node:net';
import { PROXY_UPSTREAM_HOST } from '../contract/proxy.js';

/**
 * Connects `client` to 127.0.0.1:`port` and pipes both directions at the TCP level, so HTTP keep-alive, SSE
 * streams and upgraded connections (WebSocket) pass unchanged. A FIN from one side is passed on as a FIN
 * (both sockets allow half-open); an error or reset on either side destroys both. `onError` hears why. `preamble`
 * (bytes already read from the client, such as an upgrade's request head) is written to the child first.
 */
export function pipeToUpstream(
  client: Socket,
  port: number,
  onError: (err: Error) => void = () => {},
  preamble?: Buffer,
): Socket {
  const upstream = connect({ host: PROXY_UPSTREAM_HOST, port, allowHalfOpen: true });
  upstream.setNoDelay(true);
  client.setNoDelay(true);
  const fail = (err: Error) => {
    onError(err);
    client.destroy();
    upstream.destroy();
  };
  upstream.once('error', fail);
  client.once('error', fail);
  upstream.once('connect', () => {
    if (preamble) upstream.write(preamble);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  // Once both directions are flushed and ended, close both (a half-open socket would wait for its peer forever).
  const closeWhenDone = () => {
    if (client.writableFinished && upstream.writableFinished) {
      client.destroy();
      upstream.destroy();
    }
  };
  client.once('finish', closeWhenDone);
  upstream.once('finish', closeWhenDone);
  // A side that closes cleanly lets the other flush what it still holds; one that failed takes the other down at once.
  client.once('close', (hadError) => {
    if (hadError) upstream.destroy();
    else upstream.end();
  });
  upstream.once('close', (hadError) => {
    if (hadError) client.destroy();
    else client.end();
  });
  return upstream;
}
