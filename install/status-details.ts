// What status shows beside the state: the unit files (and hand edits), the settings record, the token, the log command, the version.
import { editedFiles } from '../src/service/record.js';
import { readToken } from '../src/security/token.js';
import type { InitSystem, ServiceStatus, SystemContext } from '../src/service/types.js';
import { readFileSync } from 'node:fs';
import { showArgv } from './describe.js';
import type { Settings } from './config.js';
import { staleness, type Staleness } from './upgrade.js';
import type { Health } from '../src/service/health.js';
import { MODE_FLAG } from '../src/service/program.js';

export interface StatusDetails {
  files: string[];
  /** Files edited by hand since install-service wrote them. */
  edited: string[];
  record: string | null;
  token: { path: string | null; state: 'ok' | 'none' | 'missing' | 'unusable'; problem?: string; fix?: string };
  logs: string;
  /** Set when the running worker is older than what is installed, with the command that replaces it. */
  outdated?: Staleness & { fix: string };
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** Whether the token the service requires is there and usable, with the command that fixes it when not. */
function tokenState(s: Settings): StatusDetails['token'] {
  const path = s.cfg.tokenFile ?? null;
  if (path === null && s.programMode !== undefined) {
    return {
      path,
      state: 'none',
      problem: `its program (${MODE_FLAG[s.programMode]}) cannot check a token: every local user and process can call its routes`,
    };
  }
  if (path === null)
    return { path, state: 'none', problem: 'installed with --no-token: every local user and process can call it' };
  const fix = `install-service repair --name ${s.cfg.name}`;
  try {
    readToken(path);
    return { path, state: 'ok' };
  } catch (err) {
    const missing = /does not exist/.test((err as Error).message);
    return { path, state: missing ? 'missing' : 'unusable', problem: (err as Error).message, fix };
  }
}

/** The details of an installed service (not asked for one that is not installed or not ours). */
export function statusDetails(init: InitSystem, s: Settings, ctx: SystemContext, st: ServiceStatus): StatusDetails {
  const files = init.locations(s.cfg, ctx).files;
  const health = st.health as Health | undefined;
  const stale = health?.status === 'ok' && s.cfg.health === undefined ? staleness(s.cfg, health, Date.now()) : null;
  return {
    ...(stale?.reasons.length ? { outdated: { ...stale, fix: `install-service install --name ${s.cfg.name}` } } : {}),
    files,
    edited: editedFiles(s.record, readText),
    record: s.record ? s.recordPath : null,
    token: tokenState(s),
    logs: `install-service logs --name ${s.cfg.name}${init.logArgv ? `   (${showArgv(init.logArgv(s.cfg, ctx, { follow: false, lines: 50 }))})` : ''}`,
  };
}

/** The details as indented lines under the state line. */
export function detailLines(d: StatusDetails): string[] {
  const lines = [`  files: ${d.files.join(', ')}`];
  if (d.outdated) {
    lines.unshift(
      `  OUT OF DATE: running ${d.outdated.running}, installed ${d.outdated.installed} (${d.outdated.reasons.join('; ')})`,
      `    fix: ${d.outdated.fix}   (replaces the worker through the socket; no connection is refused)`,
    );
  }
  for (const f of d.edited)
    lines.push(`  EDITED BY HAND: ${f} differs from what install-service wrote (see install-service print)`);
  lines.push(
    `  settings: ${d.record ?? 'no settings record (installed by an older initsock; the next install writes one)'}`,
  );
  if (d.token.state === 'ok') lines.push(`  token: ${d.token.path}`);
  else if (d.token.state === 'none') lines.push(`  token: none (${d.token.problem})`);
  else lines.push(`  token: ${d.token.state.toUpperCase()}: ${d.token.problem}`, `    fix: ${d.token.fix}`);
  lines.push(`  logs: ${d.logs}`);
  return lines;
}

/** Whether a state needs a fix: the token a worker requires is missing or unusable, so every client gets 401. */
export const tokenBroken = (st: ServiceStatus, d: StatusDetails | null): boolean =>
  d !== null && st.state !== 'not-installed' && (d.token.state === 'missing' || d.token.state === 'unusable');
