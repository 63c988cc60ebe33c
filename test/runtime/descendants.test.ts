// The process tree on Linux: orphans that escape with setsid re-parent to an adopted process, stop() ends them
// (SIGKILL after the grace on the injected clock), exited orphans are reaped by pid, and libuv keeps its children's status.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { ProcessTree } from '../../src/runtime/descendants.js';
import { FakeClock } from '../fixtures/runtime/fake-clock.js';

const linux = process.platform === 'linux';
const tree = new ProcessTree();

/** Direct children of this process in state Z (exited, not reaped). */
function zombieChildren(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state === 'Z' && Number(ppid) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Starts a shell that daemonizes `script` (setsid, parent exits) and resolves with the daemon's pid once it runs. */
async function orphan(script: string): Promise<number> {
  const sh = spawn('sh', ['-c', `setsid sh -c '${script}' </dev/null >/dev/null 2>&1 & echo $!; exit 0`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [line] = (await once(sh.stdout!, 'data')) as [Buffer];
  await once(sh, 'exit');
  return Number(String(line).trim());
}

/** True once `pid` ignores SIGTERM (bit 15 of SigIgn), i.e. its shell has run the trap. */
function ignoresTerm(pid: number): boolean {
  try {
    const mask = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
    return (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
  } catch {
    return false;
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(check(), 'the condition never held');
}

test('adopted: a setsid daemon whose parent exited re-parents here and is listed', {
  skip: !linux && 'Linux only',
  timeout: 20_000,
}, async () => {
  assert.equal(tree.adopt(), true, 'prctl(PR_SET_CHILD_SUBREAPER) through koffi failed');
  const pid = await orphan('exec sleep 60');
  await until(() => tree.list().includes(pid));
  assert.deepEqual(await tree.stop(10_000), [], 'a daemon that honours SIGTERM needed SIGKILL');
  assert.equal(tree.list().length, 0);
  await until(() => zombieChildren().length === 0); // reaped by pid on SIGCHLD / in stop(), not left as a zombie
});

test('stop(): a SIGTERM-ignoring orphan is SIGKILLed once the grace has passed on the injected clock', {
  skip: !linux && 'Linux only',
  timeout: 20_000,
}, async (t) => {
  tree.adopt();
  const pid = await orphan('trap "" TERM; while :; do sleep 1; done');
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  });
  await until(() => tree.list().includes(pid) && ignoresTerm(pid)); // else SIGTERM may come before the trap
  const clock = new FakeClock();
  let result: number[] | undefined;
  void tree.stop(5000, clock).then((r) => {
    result = r;
  });
  for (let i = 0; i < 200 && result === undefined; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(100);
  }
  assert.ok(
    result?.includes(pid),
    `stop() did not end on the fake clock or did not SIGKILL ${pid}: ${JSON.stringify(result)}`,
  );
  await until(() => tree.list().length === 0 && zombieChildren().length === 0);
});

test('reaping orphans never takes the exit status of a child libuv started', {
  skip: !linux && 'Linux only',
  timeout: 20_000,
}, async () => {
  tree.adopt();
  const child = spawn('sh', ['-c', 'read x; exit 7'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = once(child, 'exit');
  await orphan('exit 0'); // a zombie of ours next to the libuv child, reaped by pid
  child.stdin!.end('go\n');
  // Block the event loop until the libuv child is a zombie, so libuv cannot have reaped it, then reap orphans.
  for (let i = 0; i < 1_000_000 && !zombieChildren().includes(child.pid!); i += 1) {
    /* bounded spin */
  }
  assert.ok(zombieChildren().includes(child.pid!), 'the libuv child never exited');
  tree.reapOrphans();
  assert.ok(zombieChildren().includes(child.pid!), 'reapOrphans reaped a child libuv owns');
  assert.deepEqual(await exited, [7, null], "libuv lost its child's exit status");
  await until(() => zombieChildren().length === 0);
});
