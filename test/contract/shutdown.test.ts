// The stop timeouts the init systems get are never shorter than the worker's worst-case graceful stop, and the
// worker's stop really takes that long at most: every phase waits on the injected clock.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  CHILD_GRACE_MS,
  DEFAULT_DRAIN_MS,
  LOG_FLUSH_MS,
  shutdownBudget,
  shutdownBudgetMs,
  stopTimeoutMs,
} from '../../src/contract/index.js';
import { parsePlist } from '../../src/render/plist-model.js';
import { ChildRegistry } from '../../src/runtime/children.js';
import { Lifecycle } from '../../src/runtime/lifecycle.js';
import type { Logger } from '../../src/runtime/logger.js';
import { ConnectionTracker } from '../../src/runtime/tracker.js';
import { renderLaunchdPlist } from '../../src/service/launchd/plist.js';
import { renderServiceUnit } from '../../src/service/systemd/units.js';
import { parseDuration } from '../../src/util/duration.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';
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
    const unit = parseUnitFile(
      renderServiceUnit({ ...cases.default!, ...(drain === undefined ? {} : { shutdownTimeoutMs: drain }) }),
    );
    const stopMs = parseDuration(value(unit, 'Service', 'TimeoutStopSec'), 'TimeoutStopSec');
    assert.ok(stopMs > worst, `TimeoutStopSec=${stopMs} ms does not exceed the worst case of ${worst} ms`);
    const cfg = baseConfig(drain === undefined ? {} : { shutdownTimeoutMs: drain });
    const plist = parsePlist(renderLaunchdPlist(cfg, context(noCommands)).content) as { ExitTimeOut: number };
    assert.ok(
      plist.ExitTimeOut * 1000 > worst,
      `ExitTimeOut ${plist.ExitTimeOut} s does not exceed the worst case of ${worst} ms`,
    );
  });
}

/** A logger whose flush never finishes (a stuck disk): only the log-flush bound ends it. */
function stuckLogger(): Logger {
  const noop = () => undefined;
  return {
    log: noop,
    error: noop,
    warn: noop,
    info: noop,
    debug: noop,
    end: noop,
    transports: [{ once: noop }],
  } as unknown as Logger;
}

/** Steps the fake clock 10 ms at a time, letting I/O and promises run between steps, until `done` or `limitMs`. */
async function runClock(clock: FakeClock, done: () => boolean, limitMs: number): Promise<void> {
  while (!done() && clock.now() < limitMs) {
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10);
  }
}

test('a stop whose every phase runs to its bound exits at the worst case on the injected clock, before SIGKILL', async (t) => {
  const clock = new FakeClock();
  const server = createServer(() => {
    /* never answers: the drain runs to its deadline */
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const tracker = new ConnectionTracker();
  tracker.attach(server);
  const hung = request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1' }).on('error', () => {});
  hung.end();
  await new Promise<void>((resolve) => server.once('request', () => resolve()));
  const children = new ChildRegistry();
  const stubborn = children.spawn('sh', ['-c', 'trap "" TERM; echo ready; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  t.after(() => {
    try {
      process.kill(-stubborn.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  await once(stubborn.stdout!, 'data');
  const exits: Array<[number, number]> = [];
  const budget = shutdownBudget();
  const life = new Lifecycle({
    servers: [server],
    tracker,
    children,
    logger: stuckLogger(),
    clock,
    budget,
    exit: (code) => exits.push([code, clock.now()]),
  });
  life.signal('SIGTERM');
  await runClock(clock, () => exits.length > 0, stopTimeoutMs() + 1000);
  assert.equal(exits.length, 1, 'the worker never exited on the fake clock: a phase waits on a real timer');
  const [code, at] = exits[0]!;
  assert.equal(code, 0);
  const worst = shutdownBudgetMs();
  assert.ok(at >= worst && at <= worst + 50, `exited at ${at} ms, the worst case is ${worst} ms`);
  assert.ok(at < stopTimeoutMs(), `exited at ${at} ms, after the init system's SIGKILL at ${stopTimeoutMs()} ms`);
  const gone = stubborn.exitCode !== null || stubborn.signalCode !== null;
  assert.equal(
    gone ? stubborn.signalCode : (await once(stubborn, 'exit'))[1],
    'SIGKILL',
    'the TERM-ignoring child was killed',
  );
});
