// Staleness of a running worker (another version, code changed after it started) and the restart it adds to an install plan.
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaceSteps, staleness, upgradeLine } from '../../install/upgrade.js';
import { systemd } from '../../src/service/systemd/index.js';
import type { ServiceConfig, SystemContext } from '../../src/service/types.js';
import { packageVersion } from '../../src/worker/health.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('upgrade');
const entry = join(dir, 'worker.js');
const app = join(dir, 'app.mjs');
writeFileSync(entry, '');
writeFileSync(app, '');
const now = Date.now();
for (const f of [entry, app]) utimesSync(f, new Date(now - 60_000), new Date(now - 60_000));
const cfg = { name: 'w', entry, app } as ServiceConfig;
const ctx = {} as SystemContext;

test('current: same version, code older than the worker', () => {
  assert.deepEqual(staleness(cfg, { status: 'ok', version: packageVersion(), uptimeMs: 1000 }, now).reasons, []);
  assert.deepEqual(
    staleness(cfg, { status: 'ok', uptimeMs: 1000 }, now).reasons,
    [],
    'no version: judged by its files',
  );
});

test('another version, or an --app changed after the worker started, is out of date', () => {
  const old = staleness(cfg, { status: 'ok', version: '0.0.1', uptimeMs: 1000 }, now);
  assert.deepEqual(old, {
    running: '0.0.1',
    installed: packageVersion(),
    reasons: [`it runs initsock 0.0.1, and ${packageVersion()} is installed`],
  });
  assert.equal(
    upgradeLine(old),
    `upgraded 0.0.1 → ${packageVersion()} (the old worker was replaced through the socket)`,
  );
  const edited = staleness(cfg, { status: 'ok', version: packageVersion(), uptimeMs: 120_000 }, now);
  assert.deepEqual(edited.reasons, [
    `--entry ${entry} changed after it started`,
    `--app ${app} changed after it started`,
  ]);
});

test('an out-of-date worker gets a restart step unless the plan already stops the service', async () => {
  const old = staleness(cfg, { status: 'ok', version: '0.0.1', uptimeMs: 1000 }, now);
  const steps = await replaceSteps(systemd, cfg, { steps: [] }, old, ctx);
  assert.deepEqual(
    steps.map((s) => (s.kind === 'run' ? s.argv : s.kind)),
    [['systemctl', '--user', 'stop', 'w.service']],
  );
  assert.match(steps[0]?.note ?? '', /out of date: it runs initsock 0\.0\.1/);
  const stopping = { steps: [{ kind: 'run' as const, argv: ['systemctl', '--user', 'stop', 'w.service'] }] };
  assert.deepEqual(await replaceSteps(systemd, cfg, stopping, old, ctx), []);
  assert.deepEqual(
    await replaceSteps(systemd, cfg, { steps: [] }, staleness(cfg, { status: 'ok', uptimeMs: 1 }, now), ctx),
    [],
  );
});
