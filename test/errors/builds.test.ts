// An InitsockError is recognised whichever copy of initsock made it: a second module instance, or the app's plain build under the bundled worker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { exitCodeFor, InitsockError, isInitsockError } from '../../src/errors.js';
import { distDir, workerBin } from '../helpers/paths.js';
import { freePort, httpGet, startProc } from '../fixtures/runtime/proc.js';

type ErrorsModule = typeof import('../../src/errors.js');

test('an error from a second copy of the errors module is an InitsockError here, with its code and exit code', async () => {
  const copy = (await import(`${pathToFileURL(join(distDir, 'src', 'errors.js')).href}?second-copy`)) as ErrorsModule;
  assert.notEqual(copy.InitsockError, InitsockError, 'the import gave a second class (else this test proves nothing)');
  const err = new copy.InitsockError('INVALID_VALUE', 'from the other copy');
  assert.ok(isInitsockError(err, 'INVALID_VALUE'));
  assert.ok(err instanceof InitsockError);
  assert.equal(exitCodeFor('initsock-worker', err), 78);
  assert.equal(exitCodeFor('install-service', err), 2);
  assert.ok(copy.isInitsockError(new InitsockError('TIMEOUT', 'and back')));
  assert.ok(
    !isInitsockError(new Error('plain')) && !isInitsockError({ code: 'INVALID_VALUE' }) && !isInitsockError(null),
  );
});

const fixture = join(distDir, 'test', 'fixtures', 'runtime', 'app-throws-initsock.js');
const entries: Array<[string, string]> = [
  ['the plain build', workerBin],
  ['the bundled fast entry', join(distDir, 'src', 'bin', 'worker-fast.cjs')],
  ['the bundle', join(distDir, 'src', 'bin', 'worker.bundle.cjs')],
];

for (const [what, entry] of entries) {
  test(`${what}: an --app that throws InitsockError exits 78 with the code and message, no stack`, async (t) => {
    const port = await freePort();
    const proc = startProc('systemd-socket-activate', [
      '-l',
      `127.0.0.1:${port}`,
      process.execPath,
      entry,
      '--app',
      fixture,
    ]);
    t.after(() => proc.kill());
    await proc.waitFor(/Listening on/);
    assert.equal((await httpGet(port, '/x')).status, 500);
    assert.equal(await proc.exited, 78, proc.lines.join('\n'));
    assert.ok(
      proc.lines.some((l) => /INVALID_VALUE: the fixture app refuses its configuration/.test(l)),
      proc.lines.join('\n'),
    );
    assert.ok(!proc.lines.some((l) => /^\s+at /.test(l)), `a stack trace was printed:\n${proc.lines.join('\n')}`);
  });
}
