// The bounded log of a job without a journal: never more than two generations of MAX bytes; logs shows the runs.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogSink } from '../../src/jobs/log-sink.js';
import { scratchDir } from '../helpers/paths.js';
import { processDriver } from './driver.js';

test('the log rotates before passing its bound and keeps one older generation', () => {
  const path = join(scratchDir('jobs-log'), 'k.log');
  const sink = new LogSink(path, 1000);
  for (let i = 0; i < 50; i++) sink.write(`${String(i).padStart(3, '0')} ${'x'.repeat(95)}\n`);
  sink.close();
  assert.ok(statSync(path).size <= 1000);
  assert.ok(statSync(`${path}.1`).size <= 1000);
  assert.match(readFileSync(path, 'utf8'), /^049 x+$/m, 'the newest line is in the current file');
  assert.doesNotMatch(
    readFileSync(`${path}.1`, 'utf8') + readFileSync(path, 'utf8'),
    /^000 /m,
    'the oldest lines are gone',
  );
});

test('`initsock job logs KEY` shows what the runs printed, and -n limits the lines', async () => {
  const d = processDriver('jobs-logs');
  assert.equal(
    (await d.job(['run', '--key', 'talk', '--wait', '--', 'sh', '-c', 'echo out-line; echo err-line >&2'])).code,
    0,
  );
  const all = await d.job(['logs', 'talk']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /run 1 starts/);
  assert.match(all.stdout, /^out-line$/m);
  assert.match(all.stdout, /^err-line$/m);
  assert.match(all.stdout, /run 1 ended: exited, exit 0/);
  const last = await d.job(['logs', 'talk', '-n', '1']);
  assert.deepEqual(last.stdout.trim().split('\n'), ['initsock job "talk": run 1 ended: exited, exit 0']);
  const help = await d.job(['run', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: initsock job run --key KEY/);
});
