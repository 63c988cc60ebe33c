// install-service's program options: --exec/--adopt/--proxy-port with the command after --, and --health-path/--health-status.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCli } from '../../install/args.js';
import { buildSettings, type Settings } from '../../install/config.js';
import { ADOPT_NODE_PRELOAD, ADOPT_PORT_ENV, ADOPT_PYTHON_PATH } from '../../src/adopt/paths.js';
import { freePort, Harness } from './harness.js';

const h = new Harness();
after(() => h.cleanup());
const bin = join(h.dir, 'bin');
mkdirSync(bin);
/** An executable script in `bin` with the given first line. */
function script(name: string, firstLine: string): string {
  const path = join(bin, name);
  writeFileSync(path, `${firstLine}\nexit 0\n`);
  chmodSync(path, 0o755);
  return path;
}
const daemon = script('mydaemon', '#!/bin/sh');
const pyApp = script('mm', '#!/usr/bin/env python3');
const env = { PATH: `${bin}:/usr/bin:/bin` };

function settings(argv: string[]): Promise<Settings> {
  return buildSettings(parseCli(argv), h.deps([], [], { env: { ...h.deps([], []).env, ...env } }));
}

test('everything after -- is the command, words that look like flags included', () => {
  const parsed = parseCli(['install', '--port', '8000', '--exec', '--', 'uvicorn', 'app:app', '--fd', '3', '--', 'x']);
  assert.equal(parsed.command, 'install');
  assert.deepEqual(parsed.options.command, ['uvicorn', 'app:app', '--fd', '3', '--', 'x']);
  assert.equal(parsed.options.port, '8000');
  assert.equal(parseCli(['status', '--name', 'w']).options.command, undefined);
});

test('--exec: the command as given, argv[0] found on PATH; no token, no initsock flags, a plain warning', async () => {
  const s = await settings(['install', '--exec', '--', 'mydaemon', '--listen-fd', '3']);
  assert.deepEqual(s.cfg.program, { mode: 'exec', argv: [daemon, '--listen-fd', '3'] });
  assert.equal(s.cfg.tokenFile, undefined, 'a program that cannot check a token gets none');
  assert.equal(s.cfg.idleTimeoutMs, 0);
  assert.deepEqual(s.cfg.health, { path: '/health', statuses: [[200, 299]], initsockBody: false });
  assert.ok(
    s.warnings.some((w) =>
      /initsock cannot check a token .*: no token is created and the program's own routes on 127\.0\.0\.1:37777 are unprotected/.test(
        w,
      ),
    ),
    s.warnings.join('\n'),
  );
  const noToken = await settings(['install', '--exec', '--no-token', '--', 'mydaemon', '--listen-fd', '3']);
  assert.deepEqual(noToken.cfg, s.cfg, '--no-token changes nothing for --exec');
});

test('--adopt detects the runtime from the #! line; --proxy-port keeps the worker and the command, with no token (it reads no request)', async () => {
  const a = await settings([
    'install',
    '--adopt',
    '--health-path',
    '/api/health',
    '--health-status',
    '200,204',
    '--',
    'mm',
    'web',
  ]);
  assert.deepEqual(a.cfg.program, { mode: 'adopt', argv: [pyApp, 'web'], runtime: 'python' });
  assert.deepEqual(a.cfg.health, {
    path: '/api/health',
    statuses: [
      [200, 200],
      [204, 204],
    ],
    initsockBody: false,
  });
  const p = await settings(['install', '--port', '37701', '--proxy-port', '37800', '--', 'mydaemon']);
  assert.deepEqual(p.cfg.program, { mode: 'proxy', argv: [daemon], proxyPort: 37800 });
  const idle = await settings([
    'install',
    '--port',
    '37701',
    '--proxy-port',
    '37800',
    '--proxy-idle-path',
    '/api/idle',
    '--',
    'mydaemon',
  ]);
  assert.deepEqual(idle.cfg.program, { mode: 'proxy', argv: [daemon], proxyPort: 37800, idlePath: '/api/idle' });
  assert.equal(p.cfg.tokenFile, undefined);
  assert.ok(
    p.warnings.some((w) =>
      new RegExp(
        '--proxy-port checks the Host and Origin of every request to .*, so web pages ' +
          '\\(DNS rebinding, cross-site requests\\) are refused before it sees them; it checks no token, so none is created\\. The worker ' +
          'refuses connections from other local users on 127\\.0\\.0\\.1:37701; .* its private port 127\\.0\\.0\\.1:37800 is open to every local user',
      ).test(w),
    ),
    p.warnings.join('\n'),
  );
  const mac = await settings([
    'print',
    '--init',
    'launchd',
    '--port',
    '37701',
    '--proxy-port',
    '37800',
    '--',
    'mydaemon',
  ]);
  assert.ok(
    mac.warnings.some((w) =>
      /are refused before it sees them; it checks no token, so none is created\. On launchd it cannot tell which user connects: every local user and process can call the program's routes/.test(
        w,
      ),
    ),
    mac.warnings.join('\n'),
  );
});

test('--adopt loads the preload for its runtime through the environment, keeping a value the user gave', async () => {
  const py = await settings([
    'install',
    '--port',
    '38200',
    '--adopt',
    '--env',
    'PYTHONPATH=/mine',
    '--env',
    'A=1',
    '--',
    'mm',
    'web',
  ]);
  assert.deepEqual(py.cfg.env, [
    ['PYTHONPATH', `${ADOPT_PYTHON_PATH}:/mine`],
    ['A', '1'],
    [ADOPT_PORT_ENV, '38200'],
  ]);
  const node = await settings(['install', '--port', '38201', '--adopt', '--', process.execPath, 'server.js']);
  assert.deepEqual(node.cfg.env, [
    ['NODE_OPTIONS', `--require ${ADOPT_NODE_PRELOAD}`],
    [ADOPT_PORT_ENV, '38201'],
  ]);
  const exec = await settings(['install', '--exec', '--env', 'A=1', '--', 'mydaemon']);
  assert.deepEqual(exec.cfg.env, [['A', '1']], '--exec adds nothing');
});

test('launchd: --adopt is refused (its preloads need LISTEN_FDS), --exec is allowed with a plain warning', async () => {
  await assert.rejects(
    settings(['print', '--init', 'launchd', '--adopt', '--', 'mm', 'web']),
    /--adopt needs systemd: .*On macOS use --proxy-port/,
  );
  const exec = await settings(['print', '--init', 'launchd', '--exec', '--', 'mydaemon']);
  assert.ok(
    exec.warnings.some((w) =>
      /on launchd, --exec only works for a program that takes its socket itself with launch_activate_socket/.test(w),
    ),
  );
});

test('print and --dry-run show the program: the exact ExecStart and the check of its own route', async () => {
  const opts = { env: { ...h.deps([], []).env, ...env } };
  const print = await h.cli(
    ['print', '--name', 'hw', '--health-path', '/api/health', '--exec', '--', 'mydaemon', '--fd', '3'],
    opts,
  );
  assert.equal(print.code, 0, print.err);
  assert.match(print.out, new RegExp(`^ExecStart="${daemon}" "--fd" "3"$`, 'm'));
  assert.match(print.out, /verify: GET http:\/\/127\.0\.0\.1:37777\/api\/health answers HTTP 2xx \(up to 30s/);
  assert.match(print.err, /warning: --exec runs .* no token is created/);
  const dry = await h.cli(
    ['install', '--dry-run', '--name', 'hw', '--proxy-port', '9002', '--proxy-idle-path', '/idle', '--', 'mydaemon'],
    opts,
  );
  assert.equal(dry.code, 0, dry.err);
  assert.match(
    dry.out,
    /"--proxy-port" "9002" "--proxy-health" "\/health" "--proxy-health-status" "200-299" "--proxy-idle-path" "\/idle" "--" "[^"]*mydaemon"/,
  );
  assert.deepEqual(h.unitFiles(), [], '--dry-run wrote nothing');
});

test('status and uninstall take the mode without resolving the command (it may be gone)', async () => {
  const s = await settings(['status', '--health-path', '/api/health', '--exec', '--', 'no-such-program']);
  assert.equal(s.cfg.program, undefined);
  assert.equal(s.cfg.health?.path, '/api/health');
});

const refusals: Array<[string, string[], RegExp]> = [
  [
    'a command without a mode',
    ['install', '--', 'mydaemon'],
    /BAD_USAGE|say how it takes the socket: --exec, --adopt or --proxy-port/,
  ],
  ['a mode without a command', ['install', '--exec'], /--exec needs the program's command after --/],
  ['an empty command', ['install', '--adopt', '--'], /--adopt needs the program's command after --/],
  ['two modes', ['install', '--exec', '--adopt', '--', 'mydaemon'], /--exec and --adopt cannot be combined/],
  [
    'a worker flag with --exec',
    ['install', '--exec', '--idle-timeout', '1min', '--', 'mydaemon'],
    /--idle-timeout configures initsock's worker/,
  ],
  [
    '--app with --proxy-port',
    ['install', '--proxy-port', '9000', '--app', 'x.js', '--', 'mydaemon'],
    /--app configures initsock's worker/,
  ],
  [
    '--health-path for the worker',
    ['install', '--health-path', '/x'],
    /--health-path is for a program's own health route/,
  ],
  [
    'a health path without /',
    ['install', '--exec', '--health-path', 'health', '--', 'mydaemon'],
    /--health-path "health" is not a request path/,
  ],
  [
    'a bad status list',
    ['install', '--exec', '--health-status', '200,600', '--', 'mydaemon'],
    /--health-status "200,600" is not a list of HTTP statuses/,
  ],
  [
    'a backwards range',
    ['install', '--exec', '--health-status', '299-200', '--', 'mydaemon'],
    /is not a list of HTTP statuses/,
  ],
  [
    '--proxy-idle-path without --proxy-port',
    ['install', '--exec', '--proxy-idle-path', '/idle', '--', 'mydaemon'],
    /--proxy-idle-path asks the program behind --proxy-port/,
  ],
  [
    'a bad proxy idle path',
    ['install', '--proxy-port', '9001', '--proxy-idle-path', 'idle', '--', 'mydaemon'],
    /--proxy-idle-path "idle" is not a request path/,
  ],
  [
    'a bad proxy port',
    ['install', '--proxy-port', '70000', '--', 'mydaemon'],
    /--proxy-port "70000" is not a TCP port/,
  ],
  [
    'the proxy port equal to the port',
    ['install', '--port', '9000', '--proxy-port', '9000', '--', 'mydaemon'],
    /--proxy-port 9000 is the service's own --port/,
  ],
  [
    'a command not on PATH',
    ['install', '--exec', '--', 'no-such-program'],
    /--exec command "no-such-program" is not on your PATH/,
  ],
  ['a command that is not executable', ['install', '--exec', '--', join(h.dir, 'home')], /is not a file/],
  [
    '--adopt of a program with no known runtime',
    ['install', '--adopt', '--', 'mydaemon'],
    /--adopt cannot tell which runtime .*mydaemon runs/,
  ],
];
for (const [what, argv, message] of refusals) {
  test(`refused before anything is touched: ${what}`, async () => {
    const before = h.snapshot();
    const r = await h.cli(['--name', 'hw', ...argv], { env: { ...h.deps([], []).env, ...env } });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.deepEqual(h.snapshot(), before);
  });
}

test('the settings record remembers the mode, the command and the health route; a new mode replaces the old one', async () => {
  const opts = { env: { ...h.deps([], []).env, ...env } };
  const port = String(await freePort());
  const first = await h.cli(
    ['install', '--name', 'hw', '--port', port, '--health-status', '200', '--exec', '--', 'mydaemon', '--fd', '3'],
    opts,
  );
  assert.equal(first.code, 0, first.err);
  const record = JSON.parse(readFileSync(join(h.home, '.config', 'initsock', 'hw', 'service.json'), 'utf8'));
  assert.deepEqual(
    [record.options.exec, record.options.command, record.options['health-status']],
    [true, [daemon, '--fd', '3'], '200'],
  );
  const again = await settings(['install', '--name', 'hw']);
  assert.deepEqual(again.cfg.program, { mode: 'exec', argv: [daemon, '--fd', '3'] });
  assert.deepEqual(again.cfg.health?.statuses, [[200, 200]]);
  const moved = await settings([
    'install',
    '--name',
    'hw',
    '--proxy-port',
    String(Number(port) === 65535 ? 1024 : Number(port) + 1),
    '--',
    'mydaemon',
  ]);
  assert.deepEqual({ ...moved.cfg.program, proxyPort: 0 }, { mode: 'proxy', argv: [daemon], proxyPort: 0 });
  assert.equal((await h.cli(['uninstall', '--name', 'hw'], opts)).code, 0);
});
