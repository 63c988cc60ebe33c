// The logger's formats (journal <N> prefixes, timestamped file and stderr), its mode choice, rotation and the last line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, scratchDir } from '../helpers/paths.js';
import { startProc } from '../fixtures/runtime/proc.js';
import { chooseLogMode } from '../../src/runtime/logger.js';

const fixture = join(distDir, 'test', 'fixtures', 'runtime', 'log-lines.js');
const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

async function run(args: string[]): Promise<string[]> {
  const proc = startProc(process.execPath, [fixture, ...args], { env: { PATH: process.env.PATH } });
  assert.equal(await proc.exited, 0, proc.lines.join('\n'));
  return proc.lines;
}

test('chooseLogMode: journal under systemd, the file when given, else stderr', () => {
  const rows: Array<[NodeJS.ProcessEnv, string | undefined, string]> = [
    [{ JOURNAL_STREAM: '8:1234' }, undefined, 'journal'], // a service's stderr goes to journald
    [{ JOURNAL_STREAM: '8:1234' }, '/x.log', 'journal'], // journald wins over a log file
    [{ LISTEN_PID: '1' }, undefined, 'journal'], // socket-activated by systemd, before detection clears it
    [{ LISTEN_PID: '1', INITSOCK_ACTIVATION: 'handoff' }, '/x.log', 'file'], // handed off by the fallback client
    [{}, '/x.log', 'file'], // launchd: the plist passes --log-file
    [{}, undefined, 'stderr'], // a developer's terminal
  ];
  for (const [env, file, want] of rows) assert.equal(chooseLogMode(env, file), want, JSON.stringify({ env, file }));
});

test('journal mode: <N> syslog priorities on stderr, no timestamps', async () => {
  const lines = await run(['journal']);
  assert.deepEqual(lines, ['<3>boom', '<4>careful', '<6>hello {"k":1}', '<7>details', '<6>the last line']);
});

test('stderr mode: timestamped lines with level and name', async () => {
  const lines = await run(['stderr']);
  assert.equal(lines.length, 5);
  for (const line of lines) assert.match(line, STAMP);
  assert.match(lines[0]!, / error \[logtest\] boom$/);
  assert.match(lines[4]!, / info \[logtest\] the last line$/);
});

test('file mode: timestamped lines, nothing on stderr, and the last line survives an immediate process.exit', async (t) => {
  const dir = scratchDir('logger');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'worker.log');
  assert.deepEqual(await run(['file', file, '2000']), []);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2005);
  for (const line of lines) assert.match(line, STAMP);
  assert.match(lines.at(-1)!, / info \[logtest\] the last line$/);
});

test('file mode is size-limited: rotation keeps at most maxFiles files, the newest line in the main file', async (t) => {
  const dir = scratchDir('logger');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'worker.log');
  await run(['file', file, '500', '4096']);
  const files = readdirSync(dir);
  assert.ok(files.length >= 2 && files.length <= 2, `rotated into at most 2 files: ${files.join(' ')}`);
  for (const f of files) assert.ok(statSync(join(dir, f)).size <= 4096 + 200, `${f} is size-limited`);
  assert.match(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!, /the last line$/);
});
