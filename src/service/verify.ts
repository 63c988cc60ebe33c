// Install's verify: retries the health probe within the time it announces, shows progress, and stops as soon as a watcher says the service cannot come up.
import { InitsockError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { healthAnswer, type HealthCheck } from './health-check.js';
import type { Health } from './health.js';
import { watchedTry } from './verify-try.js';

/** The whole verify, first try to last answer: a cold start of node, bun or python plus a program's own start-up. */
export const VERIFY_BUDGET_MS = 30_000;
/** The pause between two tries. */
export const VERIFY_INTERVAL_MS = 250;
/** One try's longest wait (never more than what is left of the budget). */
export const VERIFY_TRY_TIMEOUT_MS = 5_000;
/** How often a progress line is shown while verify waits. */
export const VERIFY_PROGRESS_MS = 5_000;

export interface VerifyOptions {
  check: HealthCheck;
  sleep(ms: number): Promise<void>;
  /** A progress line for the user. */
  log?(line: string): void;
  /** Asked after each failed try: a reason means the service cannot come up (it failed, or it loops), so verify stops. */
  watch?(): Promise<string | null>;
  /** A millisecond clock (default: performance.now); the pauses count at their nominal length, so an instant sleep ends verify early too. */
  now?(): number;
  signal?: AbortSignal;
  budgetMs?: number;
}

/** What verify promises, for the plan: 'up to 30s, one try every 250ms'. */
export function verifyPromise(budgetMs = VERIFY_BUDGET_MS): string {
  return `up to ${formatDuration(budgetMs)}, one try every ${formatDuration(VERIFY_INTERVAL_MS)}, each waiting at most ${formatDuration(VERIFY_TRY_TIMEOUT_MS)}`;
}

const reason = (err: unknown): string => (err as Error)?.message ?? String(err);

/** `logHint`: where the worker's log is, in the init system's words (InitWords.workerLog). */
function failed(
  expected: string,
  why: string,
  logHint: string,
  details: Record<string, unknown>,
  cause?: unknown,
): InitsockError {
  return new InitsockError('VERIFY_FAILED', `${expected}: ${why}. ${logHint}`, { cause, details });
}

/** Retries probeHealth until it answers; throws VERIFY_FAILED when the budget is spent or `watch` gives a reason. */
export async function verifyHealth(host: string, port: number, logHint: string, opts: VerifyOptions): Promise<Health> {
  const budget = opts.budgetMs ?? VERIFY_BUDGET_MS;
  const now = opts.now ?? (() => performance.now());
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const expected =
    `the ${opts.check.initsockBody ? 'worker' : 'program'} did not answer GET http://${at}${opts.check.path} with ` +
    `${healthAnswer(opts.check)}`;
  let spent = 0;
  let tries = 0;
  let last: unknown;
  let progressAt = VERIFY_PROGRESS_MS;
  for (;;) {
    const started = now();
    tries += 1;
    const outcome = await watchedTry(
      host,
      port,
      Math.max(1, Math.min(VERIFY_TRY_TIMEOUT_MS, budget - spent)),
      opts.check,
      opts.watch,
    );
    if ('health' in outcome) return outcome.health;
    if ('err' in outcome) last = outcome.err;
    const why = 'why' in outcome ? outcome.why : await opts.watch?.();
    if (why)
      throw failed(`${expected}, and stopped waiting early`, why, logHint, { host, port, tries, early: true }, last);
    spent += now() - started;
    if (spent + VERIFY_INTERVAL_MS >= budget || opts.signal?.aborted) break;
    await opts.sleep(VERIFY_INTERVAL_MS);
    spent += VERIFY_INTERVAL_MS;
    if (spent >= progressAt) {
      opts.log?.(
        `still waiting: ${formatDuration(Math.round(spent / 1000) * 1000)} of ${formatDuration(budget)}, ${tries} tries (last: ${reason(last)})`,
      );
      progressAt += VERIFY_PROGRESS_MS;
    }
  }
  throw failed(
    `${expected} within ${formatDuration(budget)}`,
    `${tries} tries, the last got ${reason(last)}`,
    logHint,
    { host, port, tries },
    last,
  );
}
