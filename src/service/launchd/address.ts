// Where an installed LaunchAgent listens, read from its plist's SockNodeName and SockServiceName (no launchctl call).
import { readFileSync } from 'node:fs';
import { hasOwnMark } from '../ownership.js';
import { basename, join } from 'node:path';
import { readRecord } from '../record.js';
import { filesEndingIn, readText } from '../files.js';
import type { AddressContext, InstalledAddress, InstalledService } from '../types.js';

/** The text of a <string> or <integer> that follows `<key>KEY</key>`, or null. */
function plistValue(plist: string, key: string): string | null {
  const m = new RegExp(`<key>\\s*${key}\\s*</key>\\s*<(?:string|integer)>\\s*([^<]*?)\\s*</(?:string|integer)>`).exec(
    plist,
  );
  return m ? (m[1] as string) : null;
}

/** Host and port of a plist's socket; a missing SockNodeName means every address, so the loopback one answers. */
export function listenOfPlist(plist: string): { host: string; port: number } | null {
  const port = Number(plistValue(plist, 'SockServiceName'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const host = plistValue(plist, 'SockNodeName') ?? '127.0.0.1';
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

/** The plist of service `name`: the one its settings record lists (a custom --label), else com.initsock.NAME.plist. */
function plistOf(name: string, ctx: AddressContext): string {
  let recorded: string | undefined;
  try {
    recorded = readRecord(name, ctx.env, ctx.home)?.files.find((f) => f.path.endsWith('.plist'))?.path;
  } catch {
    /* unreadable: the default */
  }
  return recorded ?? join(ctx.home, 'Library', 'LaunchAgents', `com.initsock.${name}.plist`);
}

/** The address of service `name`'s LaunchAgent, or null when none is installed. */
export function launchdAddress(name: string, ctx: AddressContext): InstalledAddress | null {
  const file = plistOf(name, ctx);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const listen = listenOfPlist(text);
  return listen && { init: 'launchd', ...listen, file };
}

/** The names of the LaunchAgents install-service wrote with the default label com.initsock.NAME (custom labels come from records). */
export function launchdInstalledNames(ctx: AddressContext): string[] {
  return filesEndingIn(join(ctx.home, 'Library', 'LaunchAgents'), '.plist')
    .filter((path) => /^com\.initsock\..+\.plist$/.test(basename(path)) && hasOwnMark(readText(path)))
    .map((path) => basename(path, '.plist').slice('com.initsock.'.length));
}

/** True when an XML plist has `<key>SockServiceName</key>` followed by the port as its value. */
export function plistNamesPort(plist: string, port: number): boolean {
  const re = /<key>\s*SockServiceName\s*<\/key>\s*<(?:string|integer)>\s*(\d+)\s*<\/(?:string|integer)>/g;
  for (const m of plist.matchAll(re)) if (Number(m[1]) === port) return true;
  return false;
}

/** The first plist in ~/Library/LaunchAgents whose socket is on `port`. */
export function launchdClaimsPort(port: number, ctx: AddressContext): InstalledService | null {
  const path = filesEndingIn(join(ctx.home, 'Library', 'LaunchAgents'), '.plist').find((p) =>
    plistNamesPort(readText(p), port),
  );
  return path ? { init: 'launchd', path } : null;
}
