// In the real systemd box: a worker started by the fallback refuses another local user (a uid that owns nothing) with 401.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { distDir, initsockBin } from '../helpers/paths.js';
import { freeBoxPort, useBox } from './box/index.js';

const app = join(distDir, 'test', 'fixtures', 'client', 'app.js');
const boxes = useBox();

/** curl as uid/gid 4242 (no account, no files, no groups): what another local user's process can do. */
const asStranger = (...curl: string[]) => [
  'setpriv',
  '--reuid',
  '4242',
  '--regid',
  '4242',
  '--clear-groups',
  'curl',
  '-s',
  ...curl,
];

test("fallback worker: the owner's client gets 200 with the token it created; another user gets 401 from the token alone", async (t) => {
  const box = boxes.get(t);
  if (!box) return;
  const port = await freeBoxPort(box);
  // The accept-time owner check is turned off (the worker inherits the client's environment), so this tests the token.
  const env = { HOME: box.home, INITSOCK_APP: app, INITSOCK_IDLE_TIMEOUT: '30s', INITSOCK_ALLOW_OTHER_USERS: '1' };
  const owner = await box.exec([process.execPath, initsockBin, 'request', '--port', String(port), 'GET', '/whoami'], {
    env,
  });
  assert.equal(owner.code, 0, owner.stderr);
  const { pid, authorization } = JSON.parse(owner.stdout) as { pid: number; authorization: string | null };
  t.after(() => box.exec(['kill', String(pid)]));
  assert.match(authorization ?? '', /^Bearer [A-Za-z0-9_-]{43}$/);
  const stranger = await box.exec(
    asStranger('-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/whoami`),
  );
  assert.equal(
    stranger.stdout,
    '401',
    `another user reached the fallback worker: ${stranger.stdout} ${stranger.stderr}`,
  );
  const read = await box.exec([
    'setpriv',
    '--reuid',
    '4242',
    '--regid',
    '4242',
    '--clear-groups',
    'cat',
    join(box.home, '.config', 'initsock', 'initsock-worker', 'token'),
  ]);
  assert.notEqual(read.code, 0, 'another user could read the token file');
});
