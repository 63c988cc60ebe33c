// The stop timeouts the init systems get are never shorter than the worker's worst-case graceful stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHILD_GRACE_MS, DEFAULT_DRAIN_MS, LOG_FLUSH_MS, shutdownBudgetMs } from '../../src/contract/index.js';
import { parsePlist } from '../../src/render/plist-model.js';
import { renderLaunchdPlist } from '../../src/service/launchd/plist.js';
import { renderServiceUnit } from '../../src/service/systemd/units.js';
import { parseDuration } from '../../src/util/duration.js';
import { parseUnitFile, value } from '../render/unit-parser.js';
import { baseConfig, context, noCommands } from '../service/launchd/fixtures.js';
import { cases } from '../service/systemd/cases.js';

const drains = [undefined, 0, 1, 1500, DEFAULT_DRAIN_MS, 30_000, 3_600_000];

test('the budget is drain + child grace + log flush, the three waits of a graceful stop', () => {
  assert.equal(shutdownBudgetMs(10_000), 10_000 + CHILD_GRACE_MS + LOG_FLUSH_MS);
  assert.equal(shutdownBudgetMs(), shutdownBudgetMs(DEFAULT_DRAIN_MS));
});

for (const drain of drains) {
  const worst = shutdownBudgetMs(drain);
  test(`--shutdown-timeout ${drain ?? 'default'}: TimeoutStopSec= and ExitTimeOut cover ${worst} ms of shutdown work`, () => {
    const unit = parseUnitFile(renderServiceUnit({ ...cases.default!, ...(drain === undefined ? {} : { shutdownTimeoutMs: drain }) }));
    const stopMs = parseDuration(value(unit, 'Service', 'TimeoutStopSec'), 'TimeoutStopSec');
    assert.ok(stopMs > worst, `TimeoutStopSec=${stopMs} ms does not exceed the worst case of ${worst} ms`);
    const cfg = baseConfig(drain === undefined ? {} : { shutdownTimeoutMs: drain });
    const plist = parsePlist(renderLaunchdPlist(cfg, context(noCommands)).content) as { ExitTimeOut: number };
    assert.ok(plist.ExitTimeOut * 1000 > worst, `ExitTimeOut ${plist.ExitTimeOut} s does not exceed the worst case of ${worst} ms`);
  });
}
