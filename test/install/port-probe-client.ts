// Box client: tries one TCP connection to HOST PORT and prints "open" or "closed" (ECONNREFUSED).
import { connect } from 'node:net';

const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
const sock = connect({ host, port: Number(port) });
sock.on('connect', () => {
  process.stdout.write('open');
  sock.destroy();
});
sock.on('error', (err: NodeJS.ErrnoException) => {
  process.stdout.write(err.code === 'ECONNREFUSED' ? 'closed' : `error ${err.code}`);
});
