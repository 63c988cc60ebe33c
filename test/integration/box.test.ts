// Self-test of the systemd box: it boots, a user .socket activates a service from inside it, the host's /tmp is untouched.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  bootBox,
  boxFixture,
  boxUnavailable,
  execLine,
  freeBoxPort,
  pidsCgroupMode,
  runNodeJson,
  unitProps,
  useBox,
  writeUserUnit,
} from './box/index.js';

// Created on the host before the box boots (useBox's before hook runs after this line): it must survive.
const marker = join('/tmp', `initsock-box-marker-${process.pid}`);
writeFileSync(marker, 'the box must not touch the host /tmp\n');
after(() => rmSync(marker, { force: true }));

const boxes = useBox();

test('both managers are running and the host /tmp is not visible inside', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  assert.match((await box.systemctl('is-system-running')).stdout, /^(running|degraded)/);
  assert.match((await box.systemctlUser('is-system-running')).stdout, /^(running|degraded)/);
  const inside = await box.exec(['test', '-e', marker]);
  assert.notEqual(inside.code, 0, 'the box sees the host /tmp: its tmpfs is missing');
  assert.ok(existsSync(marker), 'the host /tmp marker vanished');
});

test('a user .socket activates its service on a connection from inside the box', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  await writeUserUnit(box, 'fixture.socket', `[Socket]\nListenStream=127.0.0.1:${port}\nFileDescriptorName=fixture\n`);
  await writeUserUnit(
    box,
    'fixture.service',
    `[Service]\nExecStart=${execLine([process.execPath, boxFixture('listen-fds')])}\n`,
  );
  const start = await box.systemctlUser('start', 'fixture.socket');
  assert.equal(start.code, 0, start.stderr);
  assert.equal((await unitProps(box, 'fixture.service', 'ActiveState')).ActiveState, 'inactive');

  const reply = await runNodeJson<{ status: number; body: Record<string, unknown> }>(box, boxFixture('get-json'), [
    String(port),
    '/',
  ]);
  assert.equal(reply.status, 200);
  assert.deepEqual({ ...reply.body, pid: 0 }, { pid: 0, listenFds: '1', listenPidMatches: true, fdNames: 'fixture' });
  const service = await unitProps(box, 'fixture.service', 'ActiveState', 'MainPID');
  assert.equal(service.ActiveState, 'active');
  assert.equal(Number(service.MainPID), reply.body.pid, 'the answering process is not the service main pid');
  assert.match(box.logs(200), /Started fixture\.service/, 'box.logs() does not show the box journal');
});

test('stop() kills every process of the box and leaves the host /tmp alone', async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const service = await unitProps(box, 'fixture.service', 'MainPID');
  assert.ok(Number(service.MainPID) > 0, 'the fixture service should still be running');
  await box.stop();
  assert.equal(existsSync(`/proc/${box.pid}`), false, 'the box PID 1 is still alive after stop()');
  assert.equal(existsSync(box.layout.dir), Boolean(process.env.INITSOCK_KEEP_BOX), 'the box folder was not removed');
  assert.ok(box.cgroupDirs.length > 0);
  assert.deepEqual(
    box.cgroupDirs.filter((dir) => existsSync(dir)),
    [],
    'the box cgroups were not removed',
  );
  assert.ok(existsSync(marker), 'the host /tmp marker vanished: the box touched the host /tmp');
});

test('hybrid mode: systemd uses the v1 pids hierarchy and no other v1 controller, and stop removes it all', async (t) => {
  if (boxUnavailable()) return t.skip(boxUnavailable() ?? '');
  if (pidsCgroupMode() !== 'hybrid') return t.skip('this host hands cgroup2 its pids controller: no hybrid box needed');
  const box = await bootBox({ cgroups: 'hybrid' });
  try {
    const cgroups = (await box.exec(['cat', '/proc/1/cgroup'])).stdout;
    assert.match(cgroups, /^\d+:pids:\/init\.scope$/m, 'PID 1 is not tracked in the v1 pids hierarchy');
    assert.match(cgroups, /^\d+:memory:\/$/m, 'systemd made cgroups in the host memory hierarchy');
    assert.match((await box.systemctlUser('is-system-running')).stdout, /^(running|degraded)/);
  } finally {
    await box.stop();
  }
  assert.deepEqual(
    box.cgroupDirs.filter((dir) => existsSync(dir)),
    [],
    'the hybrid box cgroups were not removed',
  );
});
