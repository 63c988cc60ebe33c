// initsock's adopting preload (node --require, bun --preload): the daemon's own listen(PORT) on the activated port takes fd 3.
//
// Loaded through NODE_OPTIONS="--require THIS" or BUN_OPTIONS="--preload THIS" (src/adopt/paths.ts has the path and
// the variables). It acts only in the process the socket was passed to (LISTEN_PID is its pid, LISTEN_FDS >= 1), and
// removes LISTEN_* from the environment so the daemon's children never act on them. The activated port is
// INITSOCK_ADOPT_PORT, else the local port of fd 3 (read from /proc on Linux).
//
// One net.Server listens on fd 3 (with the inherited backlog). Every server the daemon starts on that port really
// listens on a private ephemeral loopback port instead (so listening, close() and 'listening' behave as usual), reports
// the activated port from address(), and receives the inherited socket's connections through its 'connection'
// event, which is also how bun's http.Server, which ignores fds, gets them. The newest such server with a connection
// or request handler receives; until one exists, connections wait. The daemon's own "is the port free?" probes pass:
// a bind probe succeeds (as above), and a connect or fetch probe of the port is refused until the daemon listens.
'use strict';
const net = require('node:net');
const { readFileSync, readlinkSync } = require('node:fs');

const FD = 3;
const INHERITED_BACKLOG = 2 ** 31 - 1; // the kernel caps it at net.core.somaxconn, as systemd's own Backlog= is
const env = process.env;
const report = env.INITSOCK_ADOPT_REPORT === '1' ? (m) => process.stderr.write(`initsock adopt: ${m}\n`) : () => {};

/** The local port of the TCP socket at `fd`, from /proc (null elsewhere, or when fd is not a TCP socket). */
function portOfFd(fd) {
  try {
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const cols of readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))) {
        if (inode && cols[9] === inode) return parseInt(cols[1].split(':')[1], 16);
      }
    }
  } catch {
    /* not Linux, or fd 3 is not open */
  }
  return null;
}

/** The activated port, or null when this process was not given a socket. Takes LISTEN_* out of the environment. */
function activatedPort() {
  if (env.LISTEN_PID !== String(process.pid) || !(Number(env.LISTEN_FDS) >= 1)) return null;
  for (const name of ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES', 'INITSOCK_ACTIVATION']) delete env[name];
  const port = Number(env.INITSOCK_ADOPT_PORT) || portOfFd(FD);
  if (!port)
    process.stderr.write(
      'initsock adopt: fd 3 is not a TCP socket and INITSOCK_ADOPT_PORT is not set; nothing adopted\n',
    );
  return port || null;
}

const port = activatedPort();
if (port !== null) install(port);

function install(port) {
  const receivers = [];
  const waiting = [];
  let shared = null;
  const isReceiver = (s) => s.listenerCount('connection') > 0 || s.listenerCount('request') > 0;
  const deliver = (server, socket) => {
    server.emit('connection', socket);
    socket.resume();
  };

  /** The one server on fd 3, made on the first adopting listen (until then connections wait in the kernel's queue). */
  function sharedServer() {
    if (shared) return shared;
    shared = new net.Server({ pauseOnConnect: true });
    shared.on('connection', (socket) => {
      const r = receivers.at(-1);
      if (r) deliver(r, socket);
      else waiting.push(socket);
    });
    shared.on('error', (err) => process.stderr.write(`initsock adopt: cannot serve fd ${FD}: ${err.message}\n`));
    shared.listen({ fd: FD }, INHERITED_BACKLOG, () => {
      if (process.versions.bun) relistenBun();
    });
    return shared;
  }

  /** Makes `server` listen privately and take the activated port's connections; returns what listen() returns. */
  function adopt(server, realListen, cb) {
    sharedServer();
    server.address = () => ({ ...shared.address(), port });
    server.once('listening', () => {
      if (!isReceiver(server)) return report('a listener without handlers (a port probe): not receiving');
      receivers.push(server);
      server.once('close', () => receivers.splice(receivers.indexOf(server), 1));
      report(`serving port ${port} (fd ${FD}) through the daemon's server`);
      for (const socket of waiting.splice(0)) if (!socket.destroyed) deliver(server, socket);
    });
    return realListen.call(server, 0, '127.0.0.1', ...(cb ? [cb] : []));
  }

  // Node's http.Server inherits net.Server's listen (and loading node:http would cost ~6 ms at every start); bun's
  // has its own, so there both are wrapped where they are defined.
  const protos = [net.Server.prototype, ...(process.versions.bun ? [require('node:http').Server.prototype] : [])];
  for (const proto of protos.filter((p) => Object.hasOwn(p, 'listen'))) {
    const realListen = proto.listen;
    proto.listen = function listen(...args) {
      const t = listenTarget(args);
      return t && t.port === port ? adopt(this, realListen, t.cb) : realListen.apply(this, args);
    };
  }
  refuseProbesUntilServing(port, () => receivers.length > 0);
}

/** The port and callback of a listen() call by port (listen(port, host?, backlog?, cb?) or listen({port, host}, cb?)); else null. */
function listenTarget(args) {
  const [first] = args;
  const cb = typeof args.at(-1) === 'function' ? args.at(-1) : undefined;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)))
    return { port: Number(first), cb };
  if (
    first &&
    typeof first === 'object' &&
    first.port !== undefined &&
    first.path === undefined &&
    first.fd === undefined
  ) {
    return { port: Number(first.port), cb };
  }
  return null;
}

/** bun re-listens an fd with a backlog of 511 whatever it is given: restore the inherited one through libc's listen(). */
function relistenBun() {
  try {
    const { dlopen, FFIType } = require('bun:ffi');
    const libc = dlopen('libc.so.6', { listen: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    if (libc.symbols.listen(FD, INHERITED_BACKLOG) !== 0) report('could not restore the listen backlog');
    libc.close();
  } catch (err) {
    report(`could not restore the listen backlog (${err.message})`);
  }
}

const LOOPBACK = new Set([
  '127.0.0.1',
  'localhost',
  '::1',
  '[::1]',
  '::ffff:127.0.0.1',
  '0.0.0.0',
  '::',
  undefined,
  '',
]);

function refusal(portNumber) {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${portNumber}`), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
    port: portNumber,
  });
}

/** Until the daemon serves the port, its own connects and fetches to it are refused, as they would be on a free port. */
function refuseProbesUntilServing(port, serving) {
  const realConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    const o =
      args[0] && typeof args[0] === 'object'
        ? Array.isArray(args[0])
          ? (args[0][0] ?? {})
          : args[0]
        : { port: args[0], host: args[1] };
    if (serving() || o.path !== undefined || Number(o.port) !== port || !LOOPBACK.has(o.host))
      return realConnect.apply(this, args);
    report(`refusing the daemon's own probe of port ${port}: it does not serve it yet`);
    process.nextTick(() => this.destroy(refusal(port)));
    return this;
  };
  const realFetch = globalThis.fetch;
  if (typeof realFetch !== 'function') return;
  globalThis.fetch = function fetch(input, init) {
    let url;
    try {
      url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    } catch {
      return realFetch.call(this, input, init);
    }
    const p = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (serving() || p !== port || !LOOPBACK.has(url.hostname)) return realFetch.call(this, input, init);
    report(`refusing the daemon's own fetch of port ${port}: it does not serve it yet`);
    return Promise.reject(
      Object.assign(new TypeError('fetch failed', { cause: refusal(port) }), {
        code: process.versions.bun ? 'ConnectionRefused' : undefined,
      }),
    );
  };
}
