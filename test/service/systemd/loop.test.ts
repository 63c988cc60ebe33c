// The "keeps starting without taking its socket" loop on systemd: verify's watcher tells it apart from a start and a crash, and status calls it failed.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratchDir } from '../../helpers/paths.js';
import { acceptQueue } from '../../../src/service/systemd/queue.js';
import type { CommandRunner } from '../../../src/exec/runner.js';
import { statusFromUnits } from '../../../src/service/systemd/status.js';
import { watchSystemdStart } from '../../../src/service/systemd/watch.js';
import type { ServiceConfig } from '../../../src/service/types.js';

const cfg = { name: 'cm', port: 37777 } as ServiceConfig;
const socket = 'Id=cm.socket\nLoadState=loaded\nActiveState=active\nResult=success\nListen=127.0.0.1:37777 (Stream)';

type Svc = Record<string, string>;
const show = (svc: Svc, sock = socket): string =>
  `${sock}\n\n${Object.entries({ Id: 'cm.service', LoadState: 'loaded', NRestarts: '0', ...svc })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;

/**
 * A runner answering each `systemctl show NAME...` with the next service state (the last one repeats), and every
 * journal query with `journal` (nothing logged unless a test says so).
 */
function scripted(states: Svc[], journal = ''): CommandRunner {
  let i = 0;
  return async (argv) => {
    if (argv[0] === 'journalctl') return { argv, code: 0, stdout: journal, stderr: '' };
    if (!argv.some((a) => a.endsWith('.service'))) return { argv, code: 0, stdout: '', stderr: '' }; // the manager's own properties
    return { argv, code: 0, stdout: show(states[Math.min(i++, states.length - 1)] as Svc), stderr: '' };
  };
}

async function verdicts(states: Svc[], journal = ''): Promise<Array<string | null>> {
  const watch = await watchSystemdStart(cfg, { run: scripted(states, journal), env: {}, uid: 0, home: '/root' });
  const out: Array<string | null> = [];
  for (let i = 1; i < states.length; i++) out.push(await watch());
  return out;
}

const before: Svc = { ActiveState: 'inactive', ExecMainStartTimestampMonotonic: '0' };
const running = (start: string, pid: string): Svc => ({
  ActiveState: 'active',
  MainPID: pid,
  ExecMainStartTimestampMonotonic: start,
});
const exited = (start: string, status: string, restarts = '0'): Svc => ({
  ActiveState: 'inactive',
  ExecMainStartTimestampMonotonic: start,
  ExecMainExitTimestampMonotonic: String(Number(start) + 3_000_000),
  ExecMainCode: '1',
  ExecMainStatus: status,
  NRestarts: restarts,
});

test('a start that is still coming up is not a verdict', async () => {
  assert.deepEqual(await verdicts([before, running('100', '7'), running('100', '7')]), [null, null]);
});

test('a run that ended with exit 0 while verify waited is the loop', async () => {
  const [first, second] = await verdicts([before, running('100', '7'), exited('100', '0')]);
  assert.equal(first, null);
  assert.match(
    second ?? '',
    /the program exited 0 without taking the socket: it binds the port itself; use --adopt or --proxy-port/,
  );
});

test('two starts seen without a counted restart are the loop, even when no exit was caught', async () => {
  const [a, b] = await verdicts([before, running('100', '7'), running('5000100', '8')]);
  assert.equal(a, null);
  assert.match(b ?? '', /exited 0 without taking the socket: .*\(it started 2 times and answered none\)/);
});

test('a crash that systemd restarts is not the loop (it ends in the start limit, reported as that)', async () => {
  const again = { ...running('4000100', '8'), NRestarts: '1' };
  assert.deepEqual(await verdicts([before, running('100', '7'), exited('100', '1', '1'), again]), [null, null, null]);
});

test('an old clean exit from before the watch began is not held against the new start', async () => {
  const old = exited('50', '0');
  assert.deepEqual(await verdicts([old, old, running('100', '7')]), [null, null]);
});

test('status: a socket failed by the start limit after clean exits says why and how to fix it', () => {
  const failedSocket = {
    Id: 'cm.socket',
    LoadState: 'loaded',
    ActiveState: 'failed',
    Result: 'service-start-limit-hit',
    Listen: '127.0.0.1:37777 (Stream)',
  };
  const st = statusFromUnits(
    cfg,
    { socket: failedSocket, service: { Id: 'cm.service', LoadState: 'loaded', ...exited('100', '0') } },
    0,
  );
  assert.equal(st.state, 'failed');
  assert.match(
    st.reason ?? '',
    /^the program exited 0 without taking the socket: .* \(cm\.socket failed \(service-start-limit-hit/,
  );
  assert.match(
    st.fix ?? '',
    /install-service install --name cm --adopt -- CMD ARG… +\(or --proxy-port PORT -- CMD ARG…\)/,
  );
  const crashed = statusFromUnits(
    cfg,
    { socket: failedSocket, service: { Id: 'cm.service', LoadState: 'loaded', ...exited('100', '1') } },
    0,
  );
  assert.doesNotMatch(crashed.reason ?? '', /exited 0/);
  assert.equal(crashed.fix, 'install-service repair --name cm');
});

test('starts again and again with an error in the journal, or a seen exit 78, is a failing worker, not the loop', async () => {
  const line = 'initsock-worker cannot start: INVALID_VALUE: cannot load --app /a.js: boom';
  const seen = await verdicts([before, running('100', '7'), running('200', '8')], `${line}\n`);
  assert.equal(
    seen[1],
    `cm.service keeps failing at start-up (started 2 times); the worker's last error: ${JSON.stringify(line)}`,
  );
  const exit78 = await verdicts([before, running('100', '7'), running('200', '8'), exited('200', '78')]);
  assert.equal(exit78[2], null, 'an exit 78 still restarting is left to the failed state');
});

test('acceptQueue: the LISTEN row of the port, rx_queue in hex, over tcp and tcp6; other ports and states ignored', () => {
  const root = scratchDir('queue');
  mkdirSync(join(root, 'proc', 'net'), { recursive: true });
  const head = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  writeFileSync(
    join(root, 'proc', 'net', 'tcp'),
    head +
      '   0: 0100007F:8453 00000000:0000 0A 00000000:0000000B 00:00000000 00000000     0        0 1914571 4\n' + // 11 waiting
      '   1: 0100007F:8453 0100007F:B86E 01 00000000:00000046 00:00000000 00000000     0        0 0 1\n' + // a connection's bytes
      '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 1914572 4\n',
  ); // another port
  writeFileSync(
    join(root, 'proc', 'net', 'tcp6'),
    head +
      '   0: 00000000000000000000000001000000:8453 00000000000000000000000000000000:0000 0A 00000000:00000002 00:00000000 00000000 0 0 1 4\n',
  );
  assert.equal(acceptQueue(0x8453, root), 13);
  assert.equal(acceptQueue(0x1234, root), 0);
  rmSync(root, { recursive: true, force: true });
});
