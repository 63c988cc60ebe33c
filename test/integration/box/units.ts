// Writes user units into the box home's ~/.config/systemd/user, and quotes ExecStart lines the way systemd reads them.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box } from './box.js';

/** Quotes one ExecStart argument: double quotes with \ and " escaped, then % → %% and $ → $$ (specifiers, env). */
export function quoteExecArg(arg: string): string {
  const quoted = `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return quoted.replace(/%/g, '%%').replace(/\$/g, '$$$$');
}

/** An ExecStart= value for argv (the first element must be an absolute path). */
export function execLine(argv: string[]): string {
  return argv.map(quoteExecArg).join(' ');
}

/**
 * Writes `content` to ~/.config/systemd/user/`fileName` in the box home and runs `systemctl --user daemon-reload`.
 * Resolves with the file's path; rejects when the reload fails.
 */
export async function writeUserUnit(box: Box, fileName: string, content: string): Promise<string> {
  mkdirSync(box.layout.userConfigUnits, { recursive: true });
  const path = join(box.layout.userConfigUnits, fileName);
  writeFileSync(path, content.endsWith('\n') ? content : `${content}\n`);
  await daemonReload(box);
  return path;
}

/** Removes a user unit file (after stopping its unit yourself) and reloads the user manager. */
export async function removeUserUnit(box: Box, fileName: string): Promise<void> {
  rmSync(join(box.layout.userConfigUnits, fileName), { force: true });
  await daemonReload(box);
}

/** `systemctl --user daemon-reload`; throws with the manager's stderr when it fails. */
export async function daemonReload(box: Box): Promise<void> {
  const result = await box.systemctlUser('daemon-reload');
  if (result.code !== 0) throw new Error(`systemctl --user daemon-reload failed: ${result.stderr.trim()}`);
}

/** `systemctl --user show UNIT -p P...` as a record of property → value. */
export async function unitProps(box: Box, unit: string, ...props: string[]): Promise<Record<string, string>> {
  const result = await box.systemctlUser('show', unit, ...props.flatMap((p) => ['-p', p]));
  const entries = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}
