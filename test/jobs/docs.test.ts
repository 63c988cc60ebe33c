// The README's jobs section quotes the numbers the code uses: stop grace, log bound, trigger timeout, unit name shape.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_TRIGGER_TIMEOUT_MS } from '../../src/jobs/api.js';
import { jobId, jobUnit } from '../../src/jobs/key.js';
import { MAX_LOG_BYTES } from '../../src/jobs/log-sink.js';
import { STOP_GRACE_MS } from '../../src/jobs/run-once.js';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Jobs from hooks'),
  readme.indexOf('\n## ', readme.indexOf('## Jobs from hooks') + 1),
);

test('the README jobs section states the stop grace, the log bound and the trigger timeout of the code', () => {
  assert.ok(section.length > 0, 'the section exists');
  assert.match(section, new RegExp(`SIGKILL after ${STOP_GRACE_MS / 1000} s`));
  assert.match(section, new RegExp(`at most ${MAX_LOG_BYTES / 2 ** 20} MiB`));
  assert.match(section, new RegExp(`gives up after ${DEFAULT_TRIGGER_TIMEOUT_MS / 1000} s`));
});

test('the unit name the README describes is the one jobUnit makes', () => {
  const id = jobId('mine:/home/me/src');
  assert.match(id, /^mine_home_me_src-[0-9a-f]{16}$/);
  assert.equal(jobUnit(id), `initsock-job-${id}.service`);
  assert.match(section, /initsock-job-<readable part of the key>-<16 hex\s+digits of its SHA-256>\.service/);
});
