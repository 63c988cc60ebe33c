// The rendered LaunchAgent: golden files (INITSOCK_UPDATE_GOLDEN=1 rewrites them), plistutil, and each key the design relies on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertLaunchdIdleTimeout, renderLaunchdPlist } from '../../../src/service/launchd/plist.js';
import { parsePlist } from '../../../src/render/plist-model.js';
import { isInitsockError } from '../../../src/errors.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import { repoRoot, scratchDir } from '../../helpers/paths.js';
import { havePlistutil, plistutilRoundTrip } from '../../render/plistutil.js';
import { baseConfig, context, hostileConfig, noCommands } from './fixtures.js';

const goldenDir = join(repoRoot, 'test', 'golden', 'launchd');
const update = process.env.INITSOCK_UPDATE_GOLDEN === '1';
const plistutil = havePlistutil();
let dir = '';
before(() => {
  dir = scratchDir('launchd-plist');
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cases: Array<[string, ServiceConfig]> = [
  ['default.plist', baseConfig()],
  ['hostile.plist', hostileConfig()],
  [
    'never-idle-with-app.plist',
    baseConfig({ idleTimeoutMs: 0, app: '/Users/alice/app/routes.js', label: 'dev.alice.routes', port: 40000 }),
  ],
];

const render = (cfg: ServiceConfig) => renderLaunchdPlist(cfg, context(noCommands));

for (const [file, cfg] of cases) {
  test(`golden ${file}`, () => {
    const { content, path, mode } = render(cfg);
    assert.equal(path, `/Users/alice/Library/LaunchAgents/${cfg.label}.plist`);
    assert.equal(mode, 0o644);
    const golden = join(goldenDir, file);
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(golden, content);
    }
    assert.ok(existsSync(golden), `${golden} is missing; create it with INITSOCK_UPDATE_GOLDEN=1`);
    assert.equal(
      content,
      readFileSync(golden, 'utf8'),
      `${file} changed; rerun with INITSOCK_UPDATE_GOLDEN=1 if that is intended`,
    );
  });

  test(`plistutil parses ${file} and a binary round trip keeps every value`, {
    skip: !plistutil && 'plistutil (libplist-utils) is not installed',
  }, () => {
    const { content } = render(cfg);
    assert.deepEqual(parsePlist(plistutilRoundTrip(content, dir, file)), parsePlist(content));
  });
}

test('the keys on-demand activation relies on', () => {
  const p = parsePlist(render(baseConfig()).content) as Record<string, any>;
  assert.equal(p.Label, 'com.initsock.initsock-worker');
  assert.equal(p.ProgramArguments[0], '/opt/homebrew/bin/node', 'an absolute node first');
  assert.deepEqual(p.ProgramArguments.slice(1), [
    '/opt/homebrew/lib/node_modules/initsock/dist/src/bin/worker.js',
    '--idle-timeout',
    '10min',
    '--name',
    'initsock-worker',
    '--shutdown-timeout',
    '10s',
    '--socket-name',
    'Listeners',
  ]);
  // The same worker command line as the systemd unit: the token file and a longer shutdown reach the worker, and ExitTimeOut follows.
  const tuned = parsePlist(
    render({ ...baseConfig(), tokenFile: '/Users/alice/.config/initsock/w/token', shutdownTimeoutMs: 30_000 }).content,
  ) as Record<string, any>;
  assert.deepEqual(tuned.ProgramArguments.slice(-6), [
    '--shutdown-timeout',
    '30s',
    '--token-file',
    '/Users/alice/.config/initsock/w/token',
    '--socket-name',
    'Listeners',
  ]);
  assert.equal(tuned.ExitTimeOut, 38); // 30 s drain + 5 s child grace + 2 s log flush + 1 s
  assert.deepEqual(p.Sockets, {
    Listeners: { SockNodeName: '127.0.0.1', SockServiceName: '37777', SockFamily: 'IPv4', SockType: 'stream' },
  });
  assert.ok(!('RunAtLoad' in p) && !('KeepAlive' in p), 'no RunAtLoad / KeepAlive');
  assert.deepEqual(p.EnvironmentVariables, {
    PATH: '/opt/homebrew/bin:/usr/bin:/bin',
    INITSOCK_LOG_FILE: '/Users/alice/Library/Logs/initsock-worker/worker.log',
  });
  assert.equal(p.WorkingDirectory, '/Users/alice');
  assert.equal(p.StandardOutPath, '/Users/alice/Library/Logs/initsock-worker/stdout.log');
  assert.equal(p.StandardErrorPath, '/Users/alice/Library/Logs/initsock-worker/stderr.log');
  assert.equal(p.ProcessType, 'Interactive');
  assert.equal(p.ExitTimeOut, 18);
  assert.equal(p.ThrottleInterval, 10);
});

test('an IPv6 loopback host gets SockFamily IPv6; --env wins over the defaults without duplicating a key', () => {
  const p = parsePlist(render(hostileConfig()).content) as Record<string, any>;
  assert.equal(p.EnvironmentVariables.PATH, '/custom bin:/usr/bin');
  assert.equal(Object.keys(p.EnvironmentVariables)[0], 'PATH');
  const v6 = parsePlist(render(baseConfig({ host: '::1' })).content) as Record<string, any>;
  assert.equal(v6.Sockets.Listeners.SockFamily, 'IPv6');
});

test('idle timeouts shorter than ThrottleInterval are refused with what to pass', () => {
  assert.doesNotThrow(() => assertLaunchdIdleTimeout(0));
  assert.doesNotThrow(() => assertLaunchdIdleTimeout(10_000));
  assert.throws(
    () => render(baseConfig({ idleTimeoutMs: 9_999 })),
    (e: unknown) =>
      isInitsockError(e, 'INVALID_VALUE') &&
      /ThrottleInterval/.test(e.message) &&
      /--idle-timeout 10s or more, or 0/.test(e.message),
  );
});

test('refusals: a bad label, a relative node, a value XML cannot carry', () => {
  assert.throws(
    () => render(baseConfig({ label: '../evil' })),
    (e: unknown) => isInitsockError(e, 'INVALID_VALUE') && /--label/.test(e.message),
  );
  assert.throws(
    () => render(baseConfig({ node: 'node' })),
    (e: unknown) => isInitsockError(e, 'INVALID_VALUE') && /exit 78/.test(e.message),
  );
  assert.throws(
    () => render(baseConfig({ env: [['X', 'a\u0000b']] })),
    (e: unknown) =>
      isInitsockError(e, 'UNSAFE_VALUE') && /EnvironmentVariables X/.test(e.message) && /NUL/.test(e.message),
  );
});
