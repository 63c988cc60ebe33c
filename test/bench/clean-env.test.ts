import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanStartUpEnvironment } from '../../bench/lib/clean-env.js';

test('cleanStartUpEnvironment removes the start-up variables it knows and reports them, leaving the rest', () => {
  const env: NodeJS.ProcessEnv = {
    NODE_EXTRA_CA_CERTS: '/etc/ssl/x.pem',
    NODE_OPTIONS: '--require x',
    PATH: '/usr/bin',
    HOME: '/h',
  };
  assert.deepEqual(cleanStartUpEnvironment(env), ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS']);
  assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/h' });
  assert.deepEqual(cleanStartUpEnvironment(env), []);
});
