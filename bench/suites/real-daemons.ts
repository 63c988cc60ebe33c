// The README's recipes for existing daemons with the real programs (claude-mem under bun, uvicorn, a Node daemon,
// initsock's worker under bun) in the box: install, cold first answer, 10 simultaneous first connections, the
// program's own hooks, another local user, warm req/s and idle exit, side by side with the program binding its own port.
import type { BoxLike } from '../lib/box.js';
import { fmt } from '../lib/format.js';
import { cold, hooks, idleExit, otherUser, probe, storm, type Ctx } from '../lib/real-checks.js';
import {
  claudeMem,
  claudeMemRecipes,
  nodeAndBunRecipes,
  recipePath,
  uvicornRecipes,
  type Recipe,
} from '../lib/real-recipes.js';
import type { Row, SuiteResult } from '../lib/results.js';
import { summarize } from '../lib/stats.js';
import { installCli } from '../lib/variants.js';

type Outcome = Record<string, unknown> & { id: string; rows: Row[] };
type Direct = { coldMs: number; rps: number; errors: number };
const lastLine = (text: string): string => text.trim().split('\n').at(-1)?.slice(0, 160) ?? '';
const ms = (xs: number[]): string => fmt(summarize(xs), 'ms', 0);

/** The recipes whose programs are here, and why the others are skipped. */
async function available(box: BoxLike): Promise<{ recipes: Recipe[]; skipped: string[] }> {
  const cm = claudeMem();
  const uvicorn = (await box.exec(['/usr/bin/python3', '-c', 'import uvicorn'])).code === 0;
  const recipes = [
    ...('dir' in cm ? claudeMemRecipes(cm.dir) : []),
    ...(uvicorn ? uvicornRecipes() : []),
    ...nodeAndBunRecipes(),
  ];
  const skipped = [
    ...('why' in cm ? [cm.why] : []),
    ...(uvicorn ? [] : ['python3-uvicorn is not installed (scripts/test-deps.sh)']),
  ];
  return { recipes, skipped };
}

/** The checks after a successful install; each adds its row. */
async function checks(
  ctx: Ctx,
  r: Recipe,
  o: Outcome,
  direct: Direct | null,
  rounds: number,
  seconds: number,
): Promise<void> {
  const c = await cold(ctx, r, rounds);
  o.rows.push({
    figure: `${r.label}: cold first answer, via the socket / binding its own port`,
    value: `${ms(c)} / ${direct ? `${direct.coldMs.toFixed(0)} ms` : '–'}`,
  });
  const s = await storm(ctx, r);
  o.rows.push({
    figure: `${r.label}: 10 simultaneous first connections answered, by N daemons`,
    value: `${s.answered}, by ${s.daemons}`,
    target: '10, by 1',
    met: s.answered === 10 && s.daemons === 1,
  });
  if (r.hooks) {
    const h = await hooks(ctx, r, r.hooks);
    o.rows.push({
      figure: `${r.label}: its hooks (start, context, session-init) from cold`,
      value: h.ms.map((x) => `${x.toFixed(0)} ms`).join(', '),
      target: 'exit 0, prompt recorded',
      met: h.codes.every((x) => x === 0) && h.promptRecorded,
    });
    Object.assign(o, { hooks: h });
  }
  if (r.otherUser) {
    const u = await otherUser(ctx, r);
    o.rows.push({
      figure: `${r.label}: another local user`,
      value: u,
      target: `${r.otherUser} (as README says)`,
      met: u === r.otherUser,
    });
  }
  const w = await probe<{ rps: number; errors: number }>(ctx, {
    action: 'warm',
    port: r.port,
    path: r.health,
    seconds,
  });
  o.rows.push({
    figure: `${r.label}: warm req/s, via the socket / binding its own port`,
    value: `${w.rps.toFixed(0)} / ${direct ? direct.rps.toFixed(0) : '–'}`,
    target: '0 errors',
    met: w.errors === 0 && (direct?.errors ?? 0) === 0,
  });
  if (r.idleExit) {
    const idle = await idleExit(ctx, r);
    o.rows.push({
      figure: `${r.label}: idle exit, processes left`,
      value: idle.exited ? String(idle.left) : 'no idle exit within 60 s',
      target: '0',
      met: idle.exited && idle.left === 0,
    });
  }
  Object.assign(o, { coldMs: c, direct, storm: s, warm: w });
}

/** One recipe: install as the README writes it, check it, uninstall. */
async function tryRecipe(ctx: Ctx, r: Recipe, rounds: number, seconds: number): Promise<Outcome> {
  const cli = (...args: string[]) =>
    ctx.box.exec([process.execPath, installCli, ...args], { env: ctx.env, timeoutMs: 120_000 });
  // By itself first, before the service holds its data or its port.
  const direct = r.direct
    ? await probe<Direct>(ctx, { action: 'direct', ...r.direct, path: r.health, seconds }).catch((err: Error) => err)
    : null;
  const t0 = performance.now();
  const inst = await cli('install', '--name', r.name, '--port', String(r.port), ...r.args);
  const installMs = performance.now() - t0;
  const o: Outcome = { id: r.id, installCode: inst.code, installMs, rows: [] };
  if (direct instanceof Error)
    o.rows.push({
      figure: `${r.label}: by itself, binding its own port`,
      value: direct.message.slice(0, 200),
      met: false,
    });
  o.rows.push({
    figure: `${r.label}: install exit code (time)`,
    value: `${inst.code} (${installMs.toFixed(0)} ms)${inst.code ? `: ${lastLine(inst.stderr)}` : ''}`,
    target: String(r.expectCode),
    met: inst.code === r.expectCode,
  });
  if (inst.code !== 0) return o;
  try {
    await checks(ctx, r, o, direct instanceof Error ? null : direct, rounds, seconds);
  } catch (err) {
    o.rows.push({ figure: `${r.label}: failed`, value: (err as Error).message.slice(0, 160), met: false });
  } finally {
    await cli('uninstall', '--name', r.name);
  }
  return o;
}

/** Every recipe whose program is here, in turn, in one box. */
export async function realDaemons(box: BoxLike | string, rounds: number, seconds: number): Promise<SuiteResult> {
  if (typeof box === 'string') return { data: { skipped: box }, rows: [], skipped: box };
  const { recipes, skipped } = await available(box);
  const ctx: Ctx = { box, env: { ...box.userEnv, PATH: recipePath() } };
  const outcomes: Outcome[] = [];
  for (const r of recipes) outcomes.push(await tryRecipe(ctx, r, rounds, seconds));
  for (const why of skipped) console.log(`  skipped a recipe: ${why}`);
  const rows = [...outcomes.flatMap((o) => o.rows), ...skipped.map((why) => ({ figure: 'skipped', value: why }))];
  return { data: { outcomes: outcomes.map(({ rows: _r, ...o }) => o), skipped }, rows };
}
