// The checks the real-daemons suite runs against one installed recipe, each through the real socket inside the box.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoxLike } from './box.js';
import type { Recipe } from './real-recipes.js';
import { distDir } from './variants.js';

const probeScript = join(distDir, 'bench', 'lib', 'real-probe.js');
/** A uid with no account, no files and no groups: what another local user's process can do (no useradd: the box shares /etc). */
const STRANGER = '4242';

export interface Ctx {
  box: BoxLike;
  env: Record<string, string>;
}
export interface Reply {
  status: number;
  pid: number | null;
  ms: number;
}
const ok = (r: Reply): boolean => r.status >= 200 && r.status < 300;

/** Runs the probe inside the box (as another user with `stranger`) and parses its JSON line. */
export async function probe<T>(ctx: Ctx, input: Record<string, unknown>, stranger = false): Promise<T> {
  const argv = [process.execPath, probeScript, JSON.stringify(input)];
  const as = stranger ? ['setpriv', '--reuid', STRANGER, '--regid', STRANGER, '--clear-groups', ...argv] : argv;
  const r = await ctx.box.exec(as, { env: ctx.env, timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`probe ${String(input.action)} exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Stops the service (the socket stays), so the next connection starts it again. The start counter is reset too: a
 * program run alone may start only 5 times a minute before systemd fails its socket (the loop guard), and a failed
 * socket frees the port, where claude-mem's own start hook then binds an unmanaged worker of its own.
 */
async function stopService(ctx: Ctx, r: Recipe): Promise<void> {
  await ctx.box.systemctlUser('stop', `${r.name}.service`);
  await ctx.box.systemctlUser('reset-failed', `${r.name}.service`);
}

/** `rounds` first answers on a cold socket (the service stopped before each). */
export async function cold(ctx: Ctx, r: Recipe, rounds: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    await stopService(ctx, r);
    const reply = await probe<Reply>(ctx, { action: 'get', port: r.port, path: r.health });
    if (!ok(reply)) throw new Error(`${r.id}: a cold ${r.health} answered ${reply.status}`);
    ms.push(reply.ms);
  }
  return ms;
}

/** Ten simultaneous first connections on a cold socket: how many were answered, and by how many processes. */
export async function storm(ctx: Ctx, r: Recipe): Promise<{ answered: number; daemons: number }> {
  await stopService(ctx, r);
  const replies = await probe<Reply[]>(ctx, { action: 'storm', port: r.port, path: r.health, n: 10 });
  return { answered: replies.filter(ok).length, daemons: new Set(replies.filter(ok).map((x) => x.pid)).size };
}

/** What another local user gets on the port: refused (no HTTP answer) or answered. */
export async function otherUser(ctx: Ctx, r: Recipe): Promise<'refused' | 'answered'> {
  const reply = await probe<Reply>(ctx, { action: 'get', port: r.port, path: r.health }, true);
  return reply.status === 0 ? 'refused' : 'answered';
}

/** claude-mem's prompts the worker recorded so far (its log's INIT_COMPLETE lines). */
function recordedPrompts(home: string): number {
  const logs = join(home, '.claude-mem', 'logs');
  if (!existsSync(logs)) return 0;
  return readdirSync(logs).reduce(
    (n, f) => n + (readFileSync(join(logs, f), 'utf8').match(/INIT_COMPLETE/g)?.length ?? 0),
    0,
  );
}

/** claude-mem's own hooks, as Claude Code runs them, from a cold socket: each one's time and exit code, and whether the prompt arrived. */
export async function hooks(
  ctx: Ctx,
  r: Recipe,
  plugin: string,
): Promise<{ ms: number[]; codes: number[]; promptRecorded: boolean }> {
  await stopService(ctx, r);
  const before = recordedPrompts(ctx.box.home);
  const session = { session_id: `bench-${Date.now()}`, cwd: ctx.box.home };
  const steps: Array<[string[], Record<string, unknown>]> = [
    [['start'], { ...session, hook_event_name: 'SessionStart', source: 'startup' }],
    [['hook', 'claude-code', 'context'], { ...session, hook_event_name: 'SessionStart', source: 'startup' }],
    [
      ['hook', 'claude-code', 'session-init'],
      { ...session, hook_event_name: 'UserPromptSubmit', prompt: 'remember the bench' },
    ],
  ];
  const ms: number[] = [];
  const codes: number[] = [];
  for (const [args, input] of steps) {
    const t0 = performance.now();
    const res = await ctx.box.exec(
      [
        process.execPath,
        join(plugin, 'scripts', 'bun-runner.js'),
        join(plugin, 'scripts', 'worker-service.cjs'),
        ...args,
      ],
      { env: ctx.env, input: JSON.stringify(input), timeoutMs: 90_000 },
    );
    ms.push(performance.now() - t0);
    codes.push(res.code);
  }
  return { ms, codes, promptRecorded: recordedPrompts(ctx.box.home) > before };
}

/** Waits (at most 60 s) for the idle exit, then counts the processes of the program left: none is right. */
export async function idleExit(ctx: Ctx, r: Recipe): Promise<{ exited: boolean; left: number }> {
  const marker = r.args[r.args.indexOf('--') + 2] ?? r.name;
  for (let i = 0; i < 240; i += 1) {
    const show = await ctx.box.systemctlUser('show', `${r.name}.service`, '-p', 'ActiveState');
    if (show.stdout.trim() === 'ActiveState=inactive') {
      const left = await ctx.box.exec(['pgrep', '-f', marker], { env: ctx.env });
      return { exited: true, left: left.stdout.trim() ? left.stdout.trim().split('\n').length : 0 };
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  return { exited: false, left: -1 };
}
