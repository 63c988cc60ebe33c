// The proxy worker under a real systemd --user (the box): the child's death restarts the service, idle exit leaves no process.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { distDir, installCli } from '../helpers/paths.js';
import { freeBoxPort, getJson, pollUntil, tryGetJson, unitProps, useBox, type Box } from './box/index.js';

const boxes = useBox();
const daemon = join(distDir, 'test', 'fixtures', 'proxy', 'daemon.js');

const cli = (box: Box, ...args: string[]) =>
  box.exec([process.execPath, installCli, '--name', 'proxy-life', ...args], { env: box.userEnv, timeoutMs: 90_000 });
const service = (box: Box) =>
  unitProps(box, 'proxy-life.service', 'ActiveState', 'TasksCurrent', 'MainPID', 'NRestarts');

test("the child's death ends the service (exit 1); the next connection starts worker and child again; idle exit leaves nothing", async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const [port, inner] = [await freeBoxPort(box), await freeBoxPort(box)];
  const r = await cli(
    box,
    'install',
    '--port',
    String(port),
    '--idle-timeout',
    '5s',
    '--proxy-port',
    String(inner),
    '--',
    process.execPath,
    daemon,
    String(inner),
  );
  assert.equal(r.code, 0, `${r.stderr}\n${box.logs()}`);
  const first = Number((await getJson(box, port, '/pid')).body);
  const worker = Number((await service(box)).MainPID);
  assert.notEqual(first, worker, 'the child answers, not the worker');

  await tryGetJson(box, port, '/exit?code=0'); // the child exits cleanly; the service must not stay up without it
  await pollUntil(
    'the worker to exit after its child',
    async () => ((await service(box)).MainPID !== String(worker) ? true : undefined),
    { timeoutMs: 15_000, describe: () => box.logs(15) },
  );
  const again = Number((await getJson(box, port, '/pid')).body);
  assert.notEqual(again, first, 'a new child answers');
  assert.ok(box.logs(80).includes('exiting 1 so that the init system starts it again'), box.logs(30));

  const idle = await pollUntil(
    'idle exit to empty the service',
    async () => {
      const s = await service(box);
      return s.ActiveState === 'inactive' ? s : undefined;
    },
    { timeoutMs: 30_000, describe: () => box.logs(15) },
  );
  assert.equal(idle.ActiveState, 'inactive', 'idle exit stopped worker and child: the unit is inactive, not failed');
  assert.equal(
    (await unitProps(box, 'proxy-life.socket', 'ActiveState')).ActiveState,
    'active',
    'the socket still listens',
  );
  assert.equal(Number((await getJson(box, port, '/pid')).body) > 0, true, 'and starts it all again');
  assert.equal((await cli(box, 'uninstall')).code, 0);
});
