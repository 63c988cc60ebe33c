// The bench's arithmetic and chart: medians, percentiles, paired ratios, and an SVG that parses with one bar per variant.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { coldStartSvg } from '../../bench/lib/chart.js';
import { markdownTable } from '../../bench/lib/format.js';
import { median, pairedRatio, percentile, summarize } from '../../bench/lib/stats.js';

test('median: odd, even, unsorted, empty', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('percentile by nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
});

test('summarize rounds and counts', () => {
  assert.deepEqual(summarize([1.234, 5.678, 3.333], 1), { median: 3.3, min: 1.2, max: 5.7, runs: 3 });
});

test('pairedRatio divides round by round, so a shared slowdown cancels', () => {
  // round 2 is twice as slow for both arms: the per-round ratio stays 1.5
  const r = pairedRatio([15, 30, 15], [10, 20, 10]);
  assert.deepEqual(r, { median: 1.5, min: 1.5, max: 1.5, runs: 3 });
  assert.equal(pairedRatio([1, 2, 3], [1, 1]).runs, 2, 'only complete pairs count');
});

test('the cold-start chart is well-formed SVG with one bar and one label per variant, text escaped', () => {
  const s = { median: 50, min: 40, max: 70, runs: 5 };
  const svg = coldStartSvg(
    [
      { label: 'bare <floor>', ms: s, note: 'floor', floor: true },
      { label: 'initsock & co', ms: { ...s, median: 60 }, note: '1.20× bare' },
    ],
    'title',
    ['line 1', 'line 2'],
  );
  const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as {
    svg: { rect: unknown[]; text: Array<{ '#text'?: string }> };
  };
  assert.equal(doc.svg.rect.length, 3, 'background + two bars');
  const texts = doc.svg.text.map((t) => t['#text'] ?? '');
  assert.ok(texts.includes('bare &lt;floor&gt;') || texts.includes('bare <floor>'));
  assert.ok(!svg.includes('bare <floor>'), 'labels are escaped');
});

test('the Markdown table has one row per figure and marks unmet targets', () => {
  const md = markdownTable([
    [
      'cold-start',
      [
        { figure: 'a', value: '1', target: '≤ 1', met: false },
        { figure: 'b', value: '2' },
      ],
    ],
  ]);
  const lines = md.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[2] ?? '', /\*\*no\*\*/);
});
