// One service-name grammar: the installer, the worker, the client, the unit renderer and the token path accept the same names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveOptions } from '../../src/client/options.js';
import { isServiceName, SERVICE_NAME_MAX } from '../../src/contract/index.js';
import { assertName } from '../../src/render/systemd-escape.js';
import { tokenPath } from '../../src/security/token.js';
import { parseWorkerOptions } from '../../src/worker/options.js';
import { readServeSettings } from '../../src/runtime/serve-settings.js';
import { validName } from '../../install/validate.js';

/** Whether each consumer accepts `name` (true) or refuses it (false). */
function verdicts(name: string): Record<string, boolean> {
  const accepts = (f: () => unknown): boolean => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  return {
    installer: accepts(() => validName('--name', name)),
    worker: accepts(() => parseWorkerOptions(['--name', name], {})),
    workerSocketName: accepts(() => parseWorkerOptions(['--socket-name', name], {})),
    serve: accepts(() => readServeSettings(['--name', name], {})),
    client: accepts(() => resolveOptions('GET', '/health', { name, env: { HOME: '/home/u' } })),
    unitRenderer: accepts(() => assertName(name, '--name')),
    tokenPath: accepts(() => tokenPath(name, {}, '/home/u')),
  };
}

const longest = 'n'.repeat(SERVICE_NAME_MAX);
const cases: Array<[string, boolean]> = [
  ['initsock-worker', true],
  ['my.worker_2-x', true],
  ['_x', true],
  ['9', true],
  [longest, true],
  [`${longest}x`, false],
  ['w'.repeat(70), false],
  ['-flag', false],
  ['.hidden', false],
  ['..', false],
  ['a/b', false],
  ['a b', false],
  ['', false],
  ['naïve', false],
];

for (const [name, valid] of cases) {
  test(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)} is ${valid ? 'accepted' : 'refused'} by every consumer`, () => {
    assert.equal(isServiceName(name), valid);
    const expected = Object.fromEntries(Object.keys(verdicts('x')).map((k) => [k, valid]));
    assert.deepEqual(verdicts(name), expected);
  });
}

test('a 70-character --name is refused at install time, naming the rule, instead of installing a worker that exits 78', () => {
  assert.throws(
    () => validName('--name', 'w'.repeat(70)),
    (e: Error) => /--name .* is not a valid name\. Use 1 to 64 /.test(e.message),
  );
});
