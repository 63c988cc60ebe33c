// The real command runner: exit codes, output, missing binaries and timeouts, with real processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, runCommand } from '../../src/exec/runner.js';

test('runCommand returns exit code and both streams without a shell', async () => {
  const r = await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.match(describeFailure(r), /`sh -c .*` exited with 3: err/);
});

test('runCommand passes arguments verbatim (no shell interpretation)', async () => {
  const r = await runCommand(['printf', '%s|', '$HOME', 'a b', '"q"']);
  assert.equal(r.stdout, '$HOME|a b|"q"|');
});

test('runCommand reports a missing binary as 127 and a timeout as 124', async () => {
  assert.equal((await runCommand(['/nonexistent/initsock-test-binary'])).code, 127);
  assert.equal((await runCommand(['sleep', '5'], { timeoutMs: 100 })).code, 124);
});

test('runCommand feeds input to stdin', async () => {
  assert.equal((await runCommand(['cat'], { input: 'hello' })).stdout, 'hello');
});
