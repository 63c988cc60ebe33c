// docs/contracts.md states the shared facts exactly as src/contract/ defines them; INITSOCK_UPDATE_GOLDEN=1 rewrites its table.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { stopTimeoutSeconds } from '../../src/contract/index.js';
import { BEGIN, END, factTable } from './contract-doc.js';

const page = join(repoRoot, 'docs', 'contracts.md');

test('docs/contracts.md carries the fact table generated from the contract module', () => {
  const text = readFileSync(page, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  assert.ok(start >= 0 && end > start, `${page} lacks the generated block (${BEGIN} … ${END})`);
  const current = text.slice(start, end + END.length);
  if (process.env.INITSOCK_UPDATE_GOLDEN === '1' && current !== factTable()) {
    writeFileSync(
      page,
      text.replace(current, () => factTable()),
    );
    return;
  }
  assert.equal(
    current,
    factTable(),
    'docs/contracts.md is stale; rerun with INITSOCK_UPDATE_GOLDEN=1 and review the diff',
  );
});

test('every stop timeout the README or SECURITY.md quotes is the one the contract derives', () => {
  for (const file of ['README.md', 'SECURITY.md']) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const quoted = [...text.matchAll(/`ExitTimeOut` (\d+)|TimeoutStopSec=(\d+)s/g)].map((m) => Number(m[1] ?? m[2]));
    assert.deepEqual(
      quoted.filter((n) => n !== stopTimeoutSeconds()),
      [],
      `${file} quotes a stop timeout other than ${stopTimeoutSeconds()} s`,
    );
  }
});
