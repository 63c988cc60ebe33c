// The proxy worker in front of the fixture daemon under systemd-socket-activate, and a raw-connection client for it.
import { connect } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { distDir, workerBin } from '../helpers/paths.js';
import { freePort, startProc, type Proc } from '../fixtures/runtime/proc.js';

const daemon = join(distDir, 'test', 'fixtures', 'proxy', 'daemon.js');

/** The worker in proxy mode in front of the fixture daemon (healthy after `healthyAfterMs`), under systemd-socket-activate. */
export async function proxied(
  t: { after: (fn: () => void) => void },
  workerArgs: string[] = [],
  healthyAfterMs = 0,
): Promise<{ proc: Proc; port: number; child: number }> {
  const [port, child] = [await freePort(), await freePort()];
  const proc = startProc('systemd-socket-activate', [
    '-l',
    `127.0.0.1:${port}`,
    process.execPath,
    workerBin,
    '--proxy-port',
    String(child),
    ...workerArgs,
    '--',
    process.execPath,
    daemon,
    String(child),
    String(healthyAfterMs),
  ]);
  t.after(() => proc.kill());
  await proc.waitFor(/Listening on/);
  return { proc, port, child };
}

/** Sends `head` on a raw connection and collects everything until the peer closes (or `until` matches). */
export async function raw(port: number, head: string, until?: RegExp, then?: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.setEncoding('utf8').on('data', (d: string) => {
    got += d;
    if (until?.test(got) && then !== undefined) {
      socket.end(then);
      then = undefined;
    }
  });
  socket.write(head);
  await once(socket, 'close');
  return got;
}
