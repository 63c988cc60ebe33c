// Bad input matrix: each bad value exits 2 with a message naming the option and what to do, and nothing on disk changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { installCli } from '../helpers/paths.js';
import { join } from 'node:path';
import { Harness } from './harness.js';

interface Case {
  why: string;
  args: string[];
  message: RegExp;
  /** Prepares the home before the run (files that must stay untouched). */
  setup?: (h: Harness) => void;
}

const CASES: Case[] = [
  {
    why: 'idle timeout above Node timer limit',
    args: ['--idle-timeout', '597h'],
    message: /--idle-timeout "597h" is longer than Node's timer limit of 2147483647 ms/,
  },
  {
    why: 'a 70-character name (the shared name rule)',
    args: ['--name', 'n'.repeat(70)],
    message: /--name "n{70}" is not a valid name/,
  },
  {
    why: 'port 0',
    args: ['--port', '0'],
    message: /--port "0" is not a TCP port\. Pass a whole number from 1 to 65535/,
  },
  { why: 'port 65536', args: ['--port', '65536'], message: /--port "65536" is not a TCP port/ },
  { why: 'port not a number', args: ['--port', '80a'], message: /--port "80a" is not a TCP port/ },
  { why: 'negative port', args: ['--port=-1'], message: /--port "-1" is not a TCP port/ },
  {
    why: 'name with a space',
    args: ['--name', 'my worker'],
    message: /--name "my worker" is not a valid name\. Use 1 to 64 letters/,
  },
  { why: 'name with a slash', args: ['--name', '../etc'], message: /--name "\.\.\/etc" is not a valid name/ },
  { why: 'empty name', args: ['--name', ''], message: /--name "" is not a valid name/ },
  {
    why: 'name longer than the worker accepts',
    args: ['--name', 'w'.repeat(70)],
    message: /--name "w+" is not a valid name\. Use 1 to 64 letters/,
  },
  {
    why: 'relative entry that does not exist',
    args: ['--entry', 'nope/worker.js'],
    message: /--entry "nope\/worker\.js" \(\/.*\/nope\/worker\.js\) does not exist\. Pass the path of an existing file/,
  },
  {
    why: 'absolute entry that does not exist',
    args: ['--entry', '/nonexistent/w.js'],
    message: /--entry "\/nonexistent\/w\.js" does not exist/,
  },
  { why: 'entry that is a folder', args: ['--entry', '/'], message: /--entry "\/" is not a file/ },
  {
    why: 'newline in an --env value',
    args: ['--env', 'A=1\nExecStartPre=/bin/sh'],
    message:
      /--env A "1\\nExecStartPre=\/bin\/sh" contains a newline, which would change the meaning of the service files\. Pass a single-line value/,
  },
  { why: 'NUL in an --env value', args: ['--env', 'A=1\0b'], message: /contains a NUL byte/ },
  {
    why: 'bad --env key',
    args: ['--env', 'A-B=1'],
    message: /--env "A-B=1" is not KEY=VALUE with a valid variable name/,
  },
  { why: 'newline in --host', args: ['--host', '127.0.0.1\n'], message: /--host .* contains a newline/ },
  {
    why: 'non-loopback host',
    args: ['--host', '0.0.0.0'],
    message: /refusing to listen on --host 0\.0\.0\.0: .* pass --expose-to-network/,
  },
  {
    why: 'idle timeout not a duration',
    args: ['--idle-timeout', 'soon'],
    message: /--idle-timeout "soon" is not a duration/,
  },
  {
    why: 'idle timeout below the churn-safe minimum',
    args: ['--idle-timeout', '1s'],
    message: /--idle-timeout 1s is shorter than the .* minimum/,
  },
  { why: 'bad --tasks-max', args: ['--tasks-max', 'lots'], message: /--tasks-max "lots" is not a task count/ },
  {
    why: 'U+FFFD (what Node makes of non-UTF-8 argv bytes) in --working-dir',
    args: ['--working-dir', '/srv/caf\uFFFD'],
    message: /--working-dir "\/srv\/caf\uFFFD" is not valid UTF-8 .* Pass the value as UTF-8 text/,
  },
  {
    why: 'U+FFFD in a repeated --env',
    args: ['--env', 'A=1', '--env', 'B=\uFFFD'],
    message: /--env "B=\uFFFD" is not valid UTF-8/,
  },
  {
    why: 'a very long --env value',
    args: ['--env', `A=${'x'.repeat(70_000)}`],
    message: /--env A .* is 70000 bytes long\. Use at most 32768 bytes/,
  },
  { why: 'unknown option', args: ['--prot', '1'], message: /unknown option --prot\. Did you mean --port\?/ },
  { why: 'switch given a value', args: ['--linger=yes'], message: /--linger/ },
  {
    why: '--init for another platform',
    args: ['--init', 'launchd'],
    message:
      /--init launchd cannot install here: this machine uses systemd\. Use `install-service print --init launchd`/,
  },
  {
    why: 'unit folder path is a file',
    args: [],
    message: /the unit folder .*\/systemd\/user cannot be written: its parent .*\/\.config is not a folder\. Fix/,
    setup: (h) => writeFileSync(join(h.home, '.config'), 'not a folder'),
  },
  {
    why: 'unit file is a symlink we did not create',
    args: [],
    message: /refusing to write .*hw\.socket: it is a symbolic link/,
    setup: (h) => {
      mkdirSync(h.unitDir, { recursive: true });
      writeFileSync(join(h.home, 'target'), 'precious');
      symlinkSync(join(h.home, 'target'), join(h.unitDir, 'hw.socket'));
    },
  },
  {
    why: 'world-writable unit folder (another user could swap the files)',
    args: [],
    message:
      /refusing to write .*hw\.socket: the folder .*systemd\/user is world-writable \(mode 0777\) without the sticky bit/,
    setup: (h) => {
      mkdirSync(h.unitDir, { recursive: true });
      chmodSync(h.unitDir, 0o777);
    },
  },
];

for (const c of CASES) {
  test(`bad input: ${c.why} → exit 2, clear message, nothing changed`, async (t) => {
    const h = new Harness();
    t.after(() => h.cleanup());
    c.setup?.(h);
    const before = h.snapshot();
    const r = await h.cli(['install', ...c.args]);
    assert.equal(r.code, 2, `exit code (stderr: ${r.err})`);
    assert.match(r.err, c.message);
    assert.deepEqual(h.snapshot(), before);
    assert.deepEqual(h.fake.actions, [], 'no systemctl call that changes anything');
  });
}

test('bad input: an unwritable unit folder (immutable, so even root cannot write) → exit 2, nothing changed', async (t) => {
  const h = new Harness();
  mkdirSync(h.unitDir, { recursive: true });
  if (spawnSync('chattr', ['+i', h.unitDir]).status !== 0) {
    t.skip('chattr +i is not supported on this filesystem');
    return h.cleanup();
  }
  t.after(async () => {
    spawnSync('chattr', ['-i', h.unitDir]);
    await h.cleanup();
  });
  const before = h.snapshot();
  const r = await h.cli(['install']);
  assert.equal(r.code, 2, r.err);
  assert.match(
    r.err,
    /the unit folder .*systemd\/user cannot be written: it is not writable by you\. Fix its ownership or permissions/,
  );
  assert.deepEqual(h.snapshot(), before);
});

test('a relative --entry that exists is resolved against the current directory', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  writeFileSync(join(h.dir, 'w.js'), '');
  const r = await h.cli(['print', '--entry', 'w.js']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`ExecStart=.*"${join(h.dir, 'w.js')}"`));
  assert.equal(readFileSync(join(h.dir, 'w.js'), 'utf8'), '');
});

test('bad input: real non-UTF-8 bytes in an argument (from a shell) → exit 2, nothing written', async (t) => {
  const h = new Harness();
  t.after(() => h.cleanup());
  // printf '\377' is a lone 0xFF byte: not UTF-8. The CLI runs as a real process so the bytes really arrive in argv.
  const r = spawnSync(
    'sh',
    ['-c', 'exec "$0" "$1" install --no-token --working-dir "$(printf "/srv/caf\\377")"', process.execPath, installCli],
    { env: { ...process.env, HOME: h.home, XDG_CONFIG_HOME: '' }, encoding: 'utf8' },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--working-dir .* is not valid UTF-8/);
  assert.equal(existsSync(h.unitDir), false, 'no unit folder was even created');
});
