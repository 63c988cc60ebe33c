// Parses rendered units back (test/render/unit-parser.ts) and checks every value comes back exactly; fast-check for any input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isInitsockError } from '../../../src/errors.js';
import { renderServiceUnit, renderSocketUnit } from '../../../src/service/systemd/units.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import { formatDuration } from '../../../src/util/duration.js';
import { anyText, validConfig } from './arbitraries.js';
import { cases } from './cases.js';
import { environment, execArgv, parseUnitFile, rawValue, value, values } from '../../render/unit-parser.js';

/** The argv the worker must receive, written out from the contract (not from the renderer's own helper). */
function expectedArgv(cfg: ServiceConfig): string[] {
  return [
    cfg.node,
    cfg.entry,
    '--idle-timeout',
    formatDuration(cfg.idleTimeoutMs),
    '--name',
    cfg.name,
    ...(cfg.app === undefined ? [] : ['--app', cfg.app]),
    '--shutdown-timeout',
    formatDuration(cfg.shutdownTimeoutMs ?? 10_000),
    ...(cfg.tokenFile === undefined ? [] : ['--token-file', cfg.tokenFile]),
    ...(cfg.extraArgs ?? []),
  ];
}

const SERVICE_KEYS = {
  Unit: ['Description', 'Requires', 'After', 'StartLimitIntervalSec', 'StartLimitBurst'],
  Service: [
    'Type',
    'ExecStart',
    'Environment',
    'WorkingDirectory',
    'SyslogIdentifier',
    'UMask',
    'Restart',
    'RestartSec',
    'RestartPreventExitStatus',
    'KillMode',
    'SendSIGKILL',
    'FinalKillSignal',
    'TimeoutStopSec',
    'TasksMax',
    'MemoryMax',
  ],
};

/** Renders both units for `cfg` and checks every value systemd would read equals the input. */
function assertRoundTrip(cfg: ServiceConfig): void {
  const socket = parseUnitFile(renderSocketUnit(cfg));
  const listen = value(socket, 'Socket', 'ListenStream');
  const bare = cfg.host.replace(/^\[(.*)\]$/, '$1');
  assert.equal(listen, bare.includes(':') ? `[${bare}]:${cfg.port}` : `${bare}:${cfg.port}`);
  assert.equal(value(socket, 'Socket', 'FileDescriptorName'), cfg.name);
  assert.equal(value(socket, 'Socket', 'Accept'), 'no');
  assert.equal(value(socket, 'Install', 'WantedBy'), 'sockets.target');

  const service = parseUnitFile(renderServiceUnit(cfg));
  assert.deepEqual([...service.sections.keys()], ['Unit', 'Service'], 'the service has no [Install]');
  for (const [section, keys] of Object.entries(SERVICE_KEYS)) {
    const present = new Set((service.sections.get(section) ?? []).map(([k]) => k));
    assert.ok(
      [...present].every((k) => keys.includes(k)),
      `unexpected directive in [${section}]: ${[...present].join(', ')}`,
    );
  }
  assert.deepEqual(execArgv(value(service, 'Service', 'ExecStart')), expectedArgv(cfg));
  assert.deepEqual(environment(values(service, 'Service', 'Environment')), cfg.env);
  assert.deepEqual(
    values(service, 'Service', 'WorkingDirectory').map(rawValue),
    cfg.workingDir === undefined ? [] : [cfg.workingDir],
  );
  const given = (cfg.description ?? '').replace(/^ +| +$/g, '');
  assert.equal(rawValue(value(service, 'Unit', 'Description')), given || `initsock worker ${cfg.name} (service)`);
  assert.equal(rawValue(value(socket, 'Unit', 'Description')), given || `initsock worker ${cfg.name} (socket)`);
  assert.equal(value(service, 'Unit', 'Requires'), `${cfg.name}.socket`);
  assert.equal(value(service, 'Unit', 'After'), `${cfg.name}.socket`);
}

for (const [name, cfg] of Object.entries(cases)) {
  test(`parse-back: the ${name} config comes back exactly`, () => assertRoundTrip(cfg));
}

test('property: any config that passes validation renders, and systemd would read back exactly the input values', () => {
  fc.assert(
    fc.property(validConfig, (cfg) => {
      assertRoundTrip(cfg);
    }),
    { numRuns: 400 },
  );
});

type Render = (cfg: ServiceConfig) => string;
// [field label in the error, the renderers that read the field, how to put a bad string into a valid config]
const injections: Array<[RegExp, Render[], (cfg: ServiceConfig, bad: string) => ServiceConfig]> = [
  [/^--node$/, [renderServiceUnit], (c, b) => ({ ...c, node: `${c.node}${b}` })],
  [/^--entry$/, [renderServiceUnit], (c, b) => ({ ...c, entry: `${c.entry}${b}x` })],
  [/^--app$/, [renderServiceUnit], (c, b) => ({ ...c, app: `/a${b}pp` })],
  [/^--working-dir$/, [renderServiceUnit], (c, b) => ({ ...c, workingDir: `/w${b}d` })],
  [/^--token-file$/, [renderServiceUnit], (c, b) => ({ ...c, tokenFile: `/t${b}` })],
  [/^--env K$/, [renderServiceUnit], (c, b) => ({ ...c, env: [...c.env, ['K', `v${b}`]] })],
  [/^--env name$/, [renderServiceUnit], (c, b) => ({ ...c, env: [[`K${b}`, 'v']] })],
  [/^worker argument$/, [renderServiceUnit], (c, b) => ({ ...c, extraArgs: [`${b}`] })],
  [/^description$/, [renderSocketUnit, renderServiceUnit], (c, b) => ({ ...c, description: `d${b}d` })],
  [/^--name$/, [renderSocketUnit, renderServiceUnit], (c, b) => ({ ...c, name: `n${b}` })],
  [/^--host$/, [renderSocketUnit], (c, b) => ({ ...c, host: `127.0.0.1${b}` })],
];

test('property: a newline, carriage return or NUL in any field is refused with UNSAFE_VALUE naming that field', () => {
  fc.assert(
    fc.property(
      validConfig,
      fc.constantFrom(...injections.keys()),
      fc.constantFrom('\n', '\r', '\0', '\r\n'),
      anyText,
      (cfg, which, breaker, tail) => {
        const [field, renderers, inject] = injections[which]!;
        const bad = inject(cfg, `${breaker}${tail}`);
        for (const render of renderers) {
          assert.throws(
            () => render(bad),
            (err: unknown) =>
              isInitsockError(err, 'UNSAFE_VALUE') &&
              field.test(String(err.details.option)) &&
              /Pass a single-line value\./.test(err.message),
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});
