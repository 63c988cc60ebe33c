// Triggers at scattered times against a short job: runs never overlap, and every trigger is covered by a run that started after it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { processDriver } from './driver.js';
import { settled } from './scenario.js';

test('scattered triggers: no overlap, each covered by a later-starting run, nothing left pending', {
  timeout: 120_000,
}, async () => {
  const d = processDriver('jobs-cover');
  const stampFile = join(d.dir, 'stamps');
  const job = [
    'sh',
    '-c',
    `echo "start $(date +%s%N)" >> '${stampFile}'; sleep 0.15; echo "end $(date +%s%N)" >> '${stampFile}'`,
  ];
  const triggers: Array<Promise<{ sentNs: bigint; code: number; word: string }>> = [];
  for (let i = 0; i < 24; i++) {
    const sentNs = BigInt(Date.now()) * 1_000_000n;
    triggers.push(
      d.job(['run', '--key', 'scatter', '--', ...job]).then((r) => ({ sentNs, code: r.code, word: r.stdout.trim() })),
    );
    await delay([0, 0, 30, 90, 200][i % 5]!); // bursts and gaps, some shorter and some longer than a run
  }
  const answers = await Promise.all(triggers);
  await settled(d, 'scatter');
  const stamps = readFileSync(stampFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ') as [string, string]);
  stamps.forEach(([what], i) =>
    assert.equal(what, i % 2 === 0 ? 'start' : 'end', `runs overlapped: ${stamps.join(' | ')}`),
  );
  const starts = stamps.filter(([w]) => w === 'start').map(([, ns]) => BigInt(ns));
  for (const a of answers) {
    assert.equal(a.code, 0);
    assert.ok(['started', 'queued', 'already-queued'].includes(a.word), a.word);
    assert.ok(
      starts.some((s) => s >= a.sentNs),
      `a trigger sent at ${a.sentNs} is not covered by any run starting after it`,
    );
  }
  assert.ok(starts.length < answers.length, 'triggers during runs were coalesced');
});
