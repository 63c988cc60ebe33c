// Status from `systemctl --user show`: the parser, the Listen= address, and each state with what it reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusFromUnits } from '../../../src/service/systemd/status.js';
import { parseListen, parseShow, type UnitProps } from '../../../src/service/systemd/show.js';
import type { ServiceConfig } from '../../../src/service/types.js';

const cfg = { name: 'w' } as ServiceConfig;
const sock = (p: UnitProps = {}): UnitProps => ({
  Id: 'w.socket',
  LoadState: 'loaded',
  ActiveState: 'active',
  Listen: '127.0.0.1:4000 (Stream)',
  Result: 'success',
  ...p,
});
const svc = (p: UnitProps = {}): UnitProps => ({
  Id: 'w.service',
  LoadState: 'loaded',
  ActiveState: 'inactive',
  MainPID: '0',
  Result: 'success',
  ...p,
});

test('parseShow splits blocks by unit Id; parseListen reads IPv4 and IPv6', () => {
  const units = parseShow(
    'Id=w.socket\nListen=[::1]:4000 (Stream)\nActiveState=active\n\nId=w.service\nMainPID=42\nExecMainStatus=0\n',
  );
  assert.equal(units.get('w.service')?.MainPID, '42');
  assert.deepEqual(parseListen(units.get('w.socket')?.Listen), { host: '::1', port: 4000 });
  assert.deepEqual(parseListen('127.0.0.1:37777 (Stream)'), { host: '127.0.0.1', port: 37777 });
  assert.equal(parseListen(''), null);
});

test('not installed: neither unit is loaded', () => {
  const st = statusFromUnits(
    cfg,
    {
      socket: sock({ LoadState: 'not-found', ActiveState: 'inactive', Listen: '' }),
      service: svc({ LoadState: 'not-found' }),
    },
    0,
  );
  assert.deepEqual(st, { name: 'w', init: 'systemd', state: 'not-installed', pid: null, port: null, host: null });
});

test('listening: the socket is active and no worker runs', () => {
  const st = statusFromUnits(cfg, { socket: sock(), service: svc() }, 0);
  assert.equal(st.state, 'listening');
  assert.equal(st.port, 4000);
  assert.equal(st.pid, null);
});

test('running: pid and uptime from MainPID and ExecMainStartTimestampMonotonic', () => {
  const st = statusFromUnits(
    cfg,
    {
      socket: sock({ SubState: 'running' }),
      service: svc({ ActiveState: 'active', MainPID: '77', ExecMainStartTimestampMonotonic: '1000000' }),
    },
    4_500_000,
  );
  assert.equal(st.state, 'running');
  assert.equal(st.pid, 77);
  assert.equal(st.uptimeMs, 3500);
});

test('failed socket: the reason in words and the repair command', () => {
  const st = statusFromUnits(
    cfg,
    { socket: sock({ ActiveState: 'failed', Result: 'service-start-limit-hit' }), service: svc() },
    0,
  );
  assert.equal(st.state, 'failed');
  assert.match(
    st.reason ?? '',
    /w\.socket failed \(service-start-limit-hit: the service failed to start too many times in a row\)/,
  );
  assert.equal(st.fix, 'install-service repair --name w');
});

test('failed service with a listening socket: the exit status is named', () => {
  const st = statusFromUnits(
    cfg,
    { socket: sock(), service: svc({ ActiveState: 'failed', Result: 'exit-code', ExecMainStatus: '3' }) },
    0,
  );
  assert.equal(st.state, 'failed');
  assert.match(st.reason ?? '', /w\.service failed \(exit-code: the worker exited with status 3\)/);
});

test('an enabled socket stopped on purpose is "stopped" with the command that starts it, not failed', () => {
  const st = statusFromUnits(
    cfg,
    { socket: sock({ ActiveState: 'inactive', UnitFileState: 'enabled' }), service: svc() },
    0,
  );
  assert.equal(st.state, 'stopped');
  assert.match(st.reason ?? '', /w\.socket is stopped: nothing listens on the port/);
  assert.equal(st.fix, 'systemctl --user start w.socket');
  assert.equal(st.incomplete, undefined);
});

test('an install that did not finish (socket never enabled, or a unit file missing) is failed, and the fix is install', () => {
  const never = statusFromUnits(
    cfg,
    { socket: sock({ ActiveState: 'inactive', UnitFileState: 'disabled' }), service: svc() },
    0,
  );
  assert.equal(never.state, 'failed');
  assert.equal(never.incomplete, true);
  assert.match(never.reason ?? '', /an install did not finish .*w\.socket is neither enabled nor started/);
  assert.match(never.fix ?? '', /^install-service install --name w /);
  // Even a failed socket: with a unit file gone, repair cannot bring it back.
  const half = statusFromUnits(
    cfg,
    { socket: sock({ ActiveState: 'failed' }), service: svc({ LoadState: 'not-found' }) },
    0,
    ['/u/w.service'],
  );
  assert.equal(half.incomplete, true);
  assert.match(half.reason ?? '', /\/u\/w\.service is missing/);
});
