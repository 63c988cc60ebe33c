// The README's section on running an existing daemon: every recipe is one install-service command that parses to its mode,
// and the numbers it quotes (verify's budget, the start window) are the ones the code uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCli } from '../../install/args.js';
import { programMode } from '../../install/program-config.js';
import { DEFAULT_HEALTH_STATUS } from '../../src/service/health-check.js';
import { PROGRAM_MIN_LIFETIME_MS, START_LIMIT_BURST } from '../../src/service/systemd/limits.js';
import { QUEUE_WATCH_MS } from '../../src/service/systemd/queue.js';
import {
  VERIFY_BUDGET_MS,
  VERIFY_INTERVAL_MS,
  VERIFY_PROGRESS_MS,
  VERIFY_TRY_TIMEOUT_MS,
} from '../../src/service/verify.js';
import { formatDuration } from '../../src/util/duration.js';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const start = readme.indexOf('## Running an existing daemon');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

/** The recipe block's commands, continuation lines joined, the shell substitutions given example values, split into words. */
function recipes(): string[][] {
  const block = /\*\*Recipes\*\*[^`]*```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.startsWith('install-service '))
    .map(
      (l) =>
        l
          .replace('$((37700 + $(id -u) % 100))', '37701')
          .replace('"$(npm root -g)', '"/usr/lib/node_modules')
          .match(/"[^"]*"|\S+/g)
          ?.map((w) => w.replace(/^"|"$/g, '')) ?? [],
    );
}

test('each recipe is a single install-service command with one mode and a command after --', () => {
  const all = recipes();
  assert.equal(all.length, 4);
  const modes = all.map((words) => {
    const parsed = parseCli(words.slice(1));
    assert.ok((parsed.options.command ?? []).length > 0, words.join(' '));
    return programMode(parsed.options);
  });
  assert.deepEqual(modes, ['adopt', 'adopt', 'exec', 'adopt']);
  assert.match(
    all[0]?.join(' ') ?? '',
    /--name claude-mem --port 37701 --health-path \/api\/health --adopt -- bun .*worker-service\.cjs --daemon/,
  );
});

test("the numbers the section quotes are the code's", () => {
  assert.ok(
    section.includes(
      `for up to ${formatDuration(VERIFY_BUDGET_MS)}, one try every ${formatDuration(VERIFY_INTERVAL_MS)}, each waiting at\nmost ${formatDuration(VERIFY_TRY_TIMEOUT_MS)}`,
    ),
    'verify budget',
  );
  assert.ok(section.includes(`prints a line every ${VERIFY_PROGRESS_MS / 1000} seconds`), 'progress');
  assert.ok(
    section.includes(
      `at least ${START_LIMIT_BURST} × ${PROGRAM_MIN_LIFETIME_MS / 1000} s (\`StartLimitIntervalSec=${formatDuration(START_LIMIT_BURST * PROGRAM_MIN_LIFETIME_MS)}\`, \`StartLimitBurst=${START_LIMIT_BURST}\`)`,
    ),
    'start window',
  );
  assert.ok(section.includes(`more than ${START_LIMIT_BURST} times a minute`), 'loop rate');
  assert.ok(
    section.includes(`(it watches a waiting queue for up to ${QUEUE_WATCH_MS / 1000} s)`),
    'status queue watch',
  );
  assert.ok(section.includes(`(default \`${DEFAULT_HEALTH_STATUS}\``), 'health status default');
});

test('a recipe that names its app by module (app:app) says which folder holds it: the service starts in the home folder', () => {
  const byModule = recipes().filter((words) => words.some((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(w)));
  assert.ok(byModule.length > 0, 'the uvicorn --fd 3 recipe names app:app');
  for (const words of byModule)
    assert.ok(words.includes('--working-dir') || words.includes('--app-dir'), words.join(' '));
});
