// The units and plist for a program: --exec/--adopt run exactly its command (no initsock flags), --proxy-port appends the proxy flags to the worker's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderServiceUnit, workerArgv } from '../../src/service/systemd/units.js';
import { parseWorkerOptions } from '../../src/worker/options.js';
import { programHealth } from '../../src/service/health-check.js';
import { renderLaunchdPlist } from '../../src/service/launchd/plist.js';
import type { ServiceConfig } from '../../src/service/types.js';
import { PROGRAM_MIN_LIFETIME_MS, START_LIMIT_BURST, unitLimits } from '../../src/service/systemd/limits.js';
import { formatDuration } from '../../src/util/duration.js';
import { execArgv, parseUnitFile, value } from '../render/unit-parser.js';

const base: ServiceConfig = {
  name: 'memweb',
  label: 'com.initsock.memweb',
  host: '127.0.0.1',
  port: 38111,
  node: '/usr/bin/node',
  entry: '/opt/initsock/dist/src/bin/worker.js',
  idleTimeoutMs: 0,
  env: [],
  home: '/home/u',
  uid: 1000,
};
const uvicorn = ['/usr/bin/python3', '-m', 'uvicorn', 'app:app', '--fd', '3', '--root-path', '%h $HOME'];

const service = (cfg: ServiceConfig) => parseUnitFile(renderServiceUnit(cfg));

test('--exec: ExecStart is exactly the command (specifiers and $ kept literal), with the longer start window', () => {
  const unit = service({ ...base, program: { mode: 'exec', argv: uvicorn }, health: programHealth('/api/health') });
  assert.deepEqual(execArgv(value(unit, 'Service', 'ExecStart')), uvicorn);
  assert.equal(
    value(unit, 'Unit', 'StartLimitIntervalSec'),
    formatDuration(START_LIMIT_BURST * PROGRAM_MIN_LIFETIME_MS),
  );
  assert.equal(value(unit, 'Unit', 'StartLimitBurst'), String(START_LIMIT_BURST));
});

test("--adopt's command is as exact; the worker keeps its own start window", () => {
  const adopt = service({
    ...base,
    program: { mode: 'adopt', argv: ['/usr/bin/node', '/srv/daemon.js'], runtime: 'node' },
  });
  assert.deepEqual(execArgv(value(adopt, 'Service', 'ExecStart')), ['/usr/bin/node', '/srv/daemon.js']);
  const worker = service(base);
  assert.equal(value(worker, 'Unit', 'StartLimitIntervalSec'), formatDuration(unitLimits().startLimitIntervalMs));
});

test('--proxy-port: the worker with its flags, then the proxy flags and the command after --', () => {
  const cfg: ServiceConfig = {
    ...base,
    idleTimeoutMs: 300_000,
    tokenFile: '/home/u/.config/initsock/memweb/token',
    program: { mode: 'proxy', argv: ['/usr/bin/bun', '/srv/worker-service.cjs', '--daemon'], proxyPort: 37800 },
    health: programHealth('/api/health', '200,204'),
  };
  const argv = execArgv(value(service(cfg), 'Service', 'ExecStart'));
  const dash = argv.indexOf('--');
  assert.deepEqual(argv.slice(0, 2), ['/usr/bin/node', base.entry]);
  assert.ok(argv.indexOf('--idle-timeout') > 1 && argv.indexOf('--idle-timeout') < dash);
  assert.deepEqual(argv.slice(dash - 6), [
    '--proxy-port',
    '37800',
    '--proxy-health',
    '/api/health',
    '--proxy-health-status',
    '200,204',
    '--',
    '/usr/bin/bun',
    '/srv/worker-service.cjs',
    '--daemon',
  ]);
});

test('launchd: ProgramArguments is the command alone (no --socket-name), PATH starts at its folder', () => {
  const plist = renderLaunchdPlist(
    { ...base, program: { mode: 'exec', argv: ['/opt/py/bin/python3', '-m', 'app'] } },
    {
      run: async () => {
        throw new Error('no commands');
      },
      env: { PATH: '/usr/bin' },
      uid: 501,
      home: '/Users/u',
    },
  ).content;
  const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(plist)?.[1] ?? '';
  assert.deepEqual(
    [...args.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]),
    ['/opt/py/bin/python3', '-m', 'app'],
  );
  assert.match(plist, /<key>PATH<\/key>\s*<string>\/opt\/py\/bin:\/usr\/bin<\/string>/);
});

test("the proxy flags the unit passes are read back by the worker's own parser as the installer meant them", () => {
  const cfg: ServiceConfig = {
    ...base,
    idleTimeoutMs: 300_000,
    health: programHealth('/api/health', '200,204'),
    program: {
      mode: 'proxy',
      argv: ['/usr/bin/bun', '/srv/w.cjs', '--daemon'],
      proxyPort: 37800,
      idlePath: '/api/idle',
    },
  };
  const words = workerArgv(cfg).slice(2); // without node and the entry
  const proxy = parseWorkerOptions(words, {}).proxy;
  assert.deepEqual(proxy && { ...proxy, readyTimeoutMs: 0 }, {
    port: 37800,
    healthPath: '/api/health',
    healthStatus: [
      [200, 200],
      [204, 204],
    ],
    readyTimeoutMs: 0,
    idlePath: '/api/idle',
    command: '/usr/bin/bun',
    args: ['/srv/w.cjs', '--daemon'],
  });
});
