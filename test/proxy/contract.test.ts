// Proxy-mode options: flags and INITSOCK_* variables, the command after "--", defaults, and the clear refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkerOptions } from '../../src/worker/options.js';
import { DEFAULT_HEALTH_PATH, PROXY_OPTION_ENV, parseStatusList, statusMatches } from '../../src/contract/proxy.js';
import { isInitsockError } from '../../src/errors.js';
import { ALLOW_WEB_PAGES_ENV } from '../../src/contract/peer.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isInitsockError(err) ? err.code : String(err);
  }
};

test('--proxy-port N -- CMD ARG... gives the proxy settings, with the defaults', () => {
  const o = parseWorkerOptions(
    ['--name', 'mem', '--proxy-port', '37701', '--', '/usr/bin/bun', 'worker.cjs', '--flag', '--'],
    {},
  );
  assert.deepEqual(o.proxy, {
    port: 37701,
    healthPath: DEFAULT_HEALTH_PATH,
    healthStatus: [[200, 299]],
    readyTimeoutMs: 30_000,
    command: '/usr/bin/bun',
    args: ['worker.cjs', '--flag', '--'],
  });
  assert.equal(o.name, 'mem', 'flags before "--" are the worker\'s');
  assert.equal(parseWorkerOptions([], {}).proxy, undefined);
});

test('each proxy flag can come from its INITSOCK_* variable; the flag wins', () => {
  const env = {
    [PROXY_OPTION_ENV['proxy-port']]: '9000',
    [PROXY_OPTION_ENV['proxy-health']]: '/api/health',
    [PROXY_OPTION_ENV['proxy-health-status']]: '200,204',
    [PROXY_OPTION_ENV['proxy-ready-timeout']]: '5s',
    [PROXY_OPTION_ENV['proxy-idle-path']]: '/idle',
  };
  const o = parseWorkerOptions(['--proxy-port', '9001', '--', 'cmd'], env);
  assert.deepEqual(o.proxy, {
    port: 9001,
    healthPath: '/api/health',
    healthStatus: [
      [200, 200],
      [204, 204],
    ],
    readyTimeoutMs: 5000,
    idlePath: '/idle',
    command: 'cmd',
    args: [],
  });
});

test('bad proxy input is refused with a clear code', () => {
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '9000'], {})),
    'BAD_USAGE',
  ); // no command
  assert.equal(
    code(() => parseWorkerOptions(['--', 'cmd'], {})),
    'BAD_USAGE',
  ); // a command without a port
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-health', '/h'], {})),
    'BAD_USAGE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '0', '--', 'cmd'], {})),
    'INVALID_VALUE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '70000', '--', 'cmd'], {})),
    'INVALID_VALUE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '1', '--proxy-health', 'health', '--', 'cmd'], {})),
    'INVALID_VALUE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '1', '--proxy-health-status', '2xx', '--', 'cmd'], {})),
    'INVALID_VALUE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '1', '--token-file', '/t', '--', 'cmd'], {})),
    'BAD_USAGE',
  );
  assert.equal(
    code(() => parseWorkerOptions(['--proxy-port', '1', '--app', '/a.js', '--', 'cmd'], {})),
    'BAD_USAGE',
  );
});

test('status lists take codes and inclusive ranges', () => {
  const ranges = parseStatusList('200-204, 301,404');
  assert.deepEqual(ranges, [
    [200, 204],
    [301, 301],
    [404, 404],
  ]);
  assert.deepEqual(
    [199, 200, 204, 205, 301, 404].map((s) => statusMatches(s, ranges)),
    [false, true, true, false, true, true],
  );
  for (const bad of ['', '20', '299-200', '600', '200;204'])
    assert.throws(() => parseStatusList(bad), { code: 'INVALID_VALUE' });
});

test("--allow-web-pages (or INITSOCK_ALLOW_WEB_PAGES=1) turns the proxy's Host/Origin check off, and only the proxy's", () => {
  assert.equal(
    parseWorkerOptions(['--proxy-port', '1', '--', 'cmd'], {}).allowWebPages,
    false,
    'the check is on by default',
  );
  assert.equal(parseWorkerOptions(['--proxy-port', '1', '--allow-web-pages', '--', 'cmd'], {}).allowWebPages, true);
  assert.equal(
    parseWorkerOptions(['--proxy-port', '1', '--', 'cmd'], { [ALLOW_WEB_PAGES_ENV]: '1' }).allowWebPages,
    true,
  );
  assert.equal(
    parseWorkerOptions(['--proxy-port', '1', '--', 'cmd'], { [ALLOW_WEB_PAGES_ENV]: 'yes' }).allowWebPages,
    false,
  );
  assert.equal(
    code(() => parseWorkerOptions(['--allow-web-pages'], {})),
    'BAD_USAGE',
  );
});
