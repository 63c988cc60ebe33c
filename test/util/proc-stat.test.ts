// The /proc/PID/stat reader: fields after the last ')' whatever comm holds, null for what is not a stat line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDead, parseProcStat, procTable, readProcStat } from '../../src/util/proc-stat.js';

test('comm with spaces and parentheses does not shift the fields', () => {
  assert.deepEqual(parseProcStat('4242 (a b) (c)) Z 17 4242 4242 0 -1 4194560'), {
    pid: 4242,
    state: 'Z',
    ppid: 17,
    pgrp: 4242,
  });
  assert.equal(isDead(parseProcStat('7 (x) X 1 7 7')!), true);
  assert.equal(isDead(parseProcStat('7 (x) S 1 7 7')!), false);
});

test('what is not a stat line is null', () => {
  assert.equal(parseProcStat(''), null);
  assert.equal(parseProcStat('12 (truncated'), null);
  assert.equal(parseProcStat('12 (x) R'), null);
});

test('this process is read from /proc and listed in the table', {
  skip: process.platform !== 'linux' && 'no /proc',
}, () => {
  const self = readProcStat(process.pid);
  assert.equal(self?.ppid, process.ppid);
  assert.ok(procTable().some((p) => p.pid === process.pid && p.ppid === process.ppid));
  assert.equal(readProcStat(-1), null);
});
