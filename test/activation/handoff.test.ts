// Handoff for real: a plain process binds the port, hands it to the worker with the helpers, and closes its own copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Server } from 'node:net';
import { handoffCommand, handoffEnv, handoffStdio, serverFd } from '../../src/activation/handoff.js';
import { listenOnAddress } from '../../src/runtime/listen.js';
import { workerBin } from '../helpers/paths.js';
import { httpGet } from '../fixtures/runtime/proc.js';

test('serverFd refuses a server that is not listening', () => {
  assert.throws(() => serverFd(new Server()), { code: 'BAD_FD' });
});

test('a worker spawned with handoffCommand/handoffEnv/handoffStdio serves the handed-over socket as "handoff"', async (t) => {
  const server = new Server();
  await listenOnAddress(server, '127.0.0.1', 0);
  const { port } = server.address() as { port: number };
  const [file, args] = handoffCommand(process.execPath, [workerBin, '--name', 'handed']);
  const env = handoffEnv({ PATH: process.env.PATH, LISTEN_PID: '1' }, ['initsock']);
  const child = spawn(file, args, { stdio: handoffStdio(['ignore', 'ignore', 'inherit'], [server]), env });
  t.after(() => child.kill('SIGKILL'));
  server.close(); // from now on only the worker holds the socket; nothing connected before this line
  const body = JSON.parse((await httpGet(port, '/health')).body) as Record<string, unknown>;
  assert.equal(body.activation, 'handoff');
  assert.equal(body.name, 'handed');
  assert.equal(body.pid, child.pid, "LISTEN_PID matched the exec'd worker");
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
