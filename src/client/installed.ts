// Finds an installed init-system service (systemd user socket unit or launchd agent) for a port, without asking the init system.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchAgentsDir, systemdUserDir } from './paths.js';

/** An installed service definition that owns the port: which init system, and the file that says so. */
export interface InstalledService {
  init: 'systemd' | 'launchd';
  path: string;
}

/**
 * Returns the first unit or plist that claims `port` (or is named after `name`), or null.
 * Installed means: `<name>.socket` in the systemd user folder, any `*.socket` there whose
 * ListenStream= ends in `:<port>` (or is the bare port), or a plist in ~/Library/LaunchAgents
 * whose SockServiceName is the port. Unreadable files and folders count as "not installed".
 */
export function findInstalledService(port: number, name: string, env: NodeJS.ProcessEnv): InstalledService | null {
  const unitDir = systemdUserDir(env);
  const ownUnit = join(unitDir, `${name}.socket`);
  if (isFile(ownUnit)) return { init: 'systemd', path: ownUnit };
  for (const path of filesEndingIn(unitDir, '.socket')) {
    if (socketUnitListensOn(readText(path), port)) return { init: 'systemd', path };
  }
  for (const path of filesEndingIn(launchAgentsDir(env), '.plist')) {
    if (plistNamesPort(readText(path), port)) return { init: 'launchd', path };
  }
  return null;
}

/** True when a socket unit has a ListenStream= for `port` ("37777", "127.0.0.1:37777", "[::1]:37777"). */
export function socketUnitListensOn(unit: string, port: number): boolean {
  for (const m of unit.matchAll(/^[ \t]*ListenStream[ \t]*=[ \t]*(\S*)[ \t]*$/gm)) {
    const p = /(?:^|:)(\d+)$/.exec(m[1] ?? '');
    if (p && Number(p[1]) === port) return true;
  }
  return false;
}

/** True when an XML plist has `<key>SockServiceName</key>` followed by the port as its value. */
export function plistNamesPort(plist: string, port: number): boolean {
  const re = /<key>\s*SockServiceName\s*<\/key>\s*<(?:string|integer)>\s*(\d+)\s*<\/(?:string|integer)>/g;
  for (const m of plist.matchAll(re)) if (Number(m[1]) === port) return true;
  return false;
}

function filesEndingIn(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
