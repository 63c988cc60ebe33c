// Every rendered unit passes `systemd-analyze verify --user` with no output, and systemd's own parser reads back our values.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { runCommand } from '../../../src/exec/runner.js';
import { systemdUnitFiles, workerArgv } from '../../../src/service/systemd/units.js';
import type { ServiceConfig } from '../../../src/service/types.js';
import { scratchDir } from '../../helpers/paths.js';
import { validConfig } from './arbitraries.js';
import { cases } from './cases.js';
import { parseSystemdDump, unitBlock } from './dump.js';

const NOBODY = 65534;
const SYSTEMD = '/usr/lib/systemd/systemd';
const scratch = scratchDir('systemd-verify');
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Folder {
  dir: string;
  env: NodeJS.ProcessEnv;
  cfgs: ServiceConfig[];
}

/** A scratch unit folder with the units of `cfgs` (each `node` made real at the same odd path), stub targets and `extra` files. */
function unitFolder(caseName: string, cfgs: ServiceConfig[], extra: Record<string, string> = {}): Folder {
  const root = join(scratch, caseName);
  const dir = join(root, 'units');
  for (const sub of [dir, join(root, 'rt'), join(root, 'home')]) mkdirSync(sub, { recursive: true });
  // systemd-analyze needs the targets the units name (sockets.target) and the defaults a user unit pulls in.
  for (const target of ['basic', 'sockets', 'default', 'shutdown'])
    writeFileSync(join(dir, `${target}.target`), `[Unit]\nDescription=stub ${target}\n`);
  const real = cfgs.map((cfg, i) => {
    const node = join(root, 'bin', String(i), cfg.node); // keeps the hostile characters of the original path
    mkdirSync(dirname(node), { recursive: true });
    symlinkSync(process.execPath, node);
    const files = systemdUnitFiles({ ...cfg, node }, dir);
    for (const file of files) writeFileSync(file.path, file.content, { mode: file.mode });
    return { ...cfg, node };
  });
  writeFileSync(
    join(dir, 'all.target'),
    `[Unit]\nDescription=every socket\n${real.map((c) => `Wants=${c.name}.socket\n`).join('')}`,
  );
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  // Only this folder is searched, and the runtime dir and home are scratch: the host's units and state stay out of it.
  const env = {
    PATH: process.env.PATH,
    SYSTEMD_UNIT_PATH: dir,
    XDG_RUNTIME_DIR: join(root, 'rt'),
    HOME: join(root, 'home'),
    LANG: 'C.UTF-8',
  };
  return { dir, env, cfgs: real };
}

async function verify(dir: string, env: NodeJS.ProcessEnv, units: string[]): Promise<string> {
  const result = await runCommand(['systemd-analyze', 'verify', '--user', ...units.map((u) => join(dir, u))], {
    env,
    timeoutMs: 60_000,
  });
  return `${result.stdout}${result.stderr}`.trim() + (result.code === 0 ? '' : `\n(exit code ${result.code})`);
}

const noVerify = async (): Promise<string | null> =>
  (await runCommand(['systemd-analyze', '--version'])).code === 0 ? null : 'systemd-analyze is not installed';

for (const [name, cfg] of Object.entries(cases)) {
  test(`systemd-analyze verify --user: the ${name} units pass with no output`, async (t) => {
    const why = await noVerify();
    if (why) return t.skip(why);
    const { dir, env } = unitFolder(`verify-${name}`, [cfg]);
    assert.equal(await verify(dir, env, [`${cfg.name}.socket`, `${cfg.name}.service`]), '');
  });
}

test('the verify harness can fail: a unit with an unknown key and a missing program is reported', async (t) => {
  const why = await noVerify();
  if (why) return t.skip(why);
  const { dir, env } = unitFolder('verify-broken', [cases.default!], {
    'broken.service': '[Service]\nType=exec\nFooBar=1\nExecStart=/nonexistent/node x\n',
  });
  const output = await verify(dir, env, ['broken.service']);
  assert.match(output, /Unknown key 'FooBar'/);
  assert.match(output, /nonexistent\/node/);
});

/** Why systemd --test cannot run here, or null. It runs as nobody: the user manager's test mode refuses root. */
async function noOracle(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'needs root to run systemd --test as an unprivileged user';
  if ((await runCommand(['setpriv', '--version'])).code !== 0) return 'setpriv is not installed';
  if ((await runCommand([SYSTEMD, '--version'])).code !== 0) return `${SYSTEMD} is not installed`;
  return null;
}

/** Dumps the units systemd's own parser loaded for `unit` (systemd --test --user: parse and plan only, run nothing). */
async function systemdDump({ dir, env }: Folder, unit: string): Promise<string> {
  const root = dirname(dir);
  const walk = (path: string): void => {
    // nobody must reach every unit file and program
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path, { withFileTypes: true }))
      if (entry.isDirectory()) walk(join(path, entry.name));
  };
  chmodSync(scratch, 0o755);
  walk(root);
  chownSync(env.XDG_RUNTIME_DIR as string, NOBODY, NOBODY);
  chownSync(env.HOME as string, NOBODY, NOBODY);
  const result = await runCommand(
    [
      'setpriv',
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      SYSTEMD,
      '--test',
      '--user',
      `--unit=${unit}`,
      '--no-pager',
    ],
    { env, timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, `systemd --test failed: ${result.stderr}`);
  return result.stdout;
}

/** Checks that systemd's dump of `real`'s units holds exactly its values. */
function assertDumpMatches(dump: string, real: ServiceConfig, home: string): void {
  const service = parseSystemdDump(unitBlock(dump, `${real.name}.service`));
  const socket = parseSystemdDump(unitBlock(dump, `${real.name}.socket`));
  // systemd expands $VAR (and $$ → $) in argv only when it execs, so the dump still shows each $ doubled.
  assert.deepEqual(
    service.argv.map((w) => w.replace(/\$\$/g, '$')),
    workerArgv(real),
  );
  assert.deepEqual(service.env, mergeEnv(real.env));
  assert.equal(
    service.get('WorkingDirectory'),
    real.workingDir ?? home,
    'the user manager defaults to the home directory',
  );
  const description = (real.description ?? '').replace(/^ +| +$/g, '') || `initsock worker ${real.name} (service)`;
  assert.equal(service.get('Description'), description);
  const bare = real.host.replace(/^\[(.*)\]$/, '$1');
  assert.equal(socket.get('ListenStream'), bare.includes(':') ? `[${bare}]:${real.port}` : `${bare}:${real.port}`);
  assert.equal(socket.get('FileDescriptorName'), real.name);
  assert.deepEqual([socket.get('TriggerLimitIntervalSec'), socket.get('TriggerLimitBurst')], ['2s', '20']);
}

for (const [name, cfg] of Object.entries(cases)) {
  test(`systemd's own parser (systemd --test) reads the ${name} units back to exactly our values`, async (t) => {
    const why = await noOracle();
    if (why) return t.skip(why);
    const folder = unitFolder(`oracle-${name}`, [cfg]);
    assertDumpMatches(await systemdDump(folder, `${cfg.name}.socket`), folder.cfgs[0]!, folder.env.HOME as string);
  });
}

test('random valid configs (fast-check): verify is silent and systemd --test reads back exactly our values', async (t) => {
  const why = (await noVerify()) ?? (await noOracle());
  if (why) return t.skip(why);
  const cfgs = fc
    .sample(validConfig, { numRuns: 60, seed: 20261123 })
    .map((cfg, i) => ({ ...cfg, name: `r${i}-${cfg.name}` }));
  const folder = unitFolder('oracle-random', cfgs);
  const units = folder.cfgs.flatMap((c) => [`${c.name}.socket`, `${c.name}.service`]);
  assert.equal(await verify(folder.dir, folder.env, units), '');
  const dump = await systemdDump(folder, 'all.target');
  for (const real of folder.cfgs) assertDumpMatches(dump, real, folder.env.HOME as string);
});

/** Environment as systemd keeps it: a repeated name replaces the earlier value in place. */
function mergeEnv(env: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const merged = new Map<string, string>();
  for (const [k, v] of env) merged.set(k, v);
  return [...merged];
}
