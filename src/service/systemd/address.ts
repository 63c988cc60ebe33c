// Where an installed systemd socket unit listens, read from its ListenStream= line (no manager call: hooks use it on every request).
import { readFileSync } from 'node:fs';
import { hasOwnMark } from '../ownership.js';
import { basename, isAbsolute, join } from 'node:path';
import { filesEndingIn, readText } from '../files.js';
import type { AddressContext, InstalledAddress, InstalledService } from '../types.js';

/** $XDG_CONFIG_HOME/systemd/user, or ~/.config/systemd/user (a relative XDG_CONFIG_HOME is ignored, per the XDG spec). */
export function systemdUnitDir(ctx: AddressContext): string {
  const xdg = ctx.env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(ctx.home, '.config'), 'systemd', 'user');
}

/**
 * Host and port of a ListenStream= value: "127.0.0.1:38000", "[::1]:38000", or a bare "38000" (every address, so
 * the loopback one answers). Null for anything else (a path, a host name, a device).
 */
export function parseListenStream(value: string): { host: string; port: number } | null {
  const v = value.trim();
  const bare = /^(\d{1,5})$/.exec(v);
  const m = bare ? null : /^(?:\[([0-9A-Fa-f:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(v);
  const port = Number(bare?.[1] ?? m?.[3]);
  if (!(bare || m) || port < 1 || port > 65535) return null;
  return { host: m?.[1] ?? m?.[2] ?? '127.0.0.1', port };
}

/** The first TCP ListenStream= of `unit` (an empty assignment resets the list, as systemd reads it). */
export function listenOfUnit(unit: string): { host: string; port: number } | null {
  let found: { host: string; port: number } | null = null;
  for (const m of unit.matchAll(/^[ \t]*ListenStream[ \t]*=[ \t]*(.*?)[ \t]*$/gm)) {
    if ((m[1] ?? '') === '') {
      found = null;
      continue;
    }
    found ??= parseListenStream(m[1] ?? '');
  }
  return found;
}

/** The address of NAME.socket in the user unit folder, or null when there is no such unit or it names no TCP address. */
export function systemdAddress(name: string, ctx: AddressContext): InstalledAddress | null {
  const file = join(systemdUnitDir(ctx), `${name}.socket`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const listen = listenOfUnit(text);
  return listen && { init: 'systemd', ...listen, file };
}

/** The names of the socket units in the user unit folder that install-service wrote (they carry its mark). */
export function systemdInstalledNames(ctx: AddressContext): string[] {
  return filesEndingIn(systemdUnitDir(ctx), '.socket')
    .filter((path) => hasOwnMark(readText(path)))
    .map((path) => basename(path, '.socket'));
}

/** True when a socket unit has a ListenStream= for `port` ("37777", "127.0.0.1:37777", "[::1]:37777"). */
export function socketUnitListensOn(unit: string, port: number): boolean {
  for (const m of unit.matchAll(/^[ \t]*ListenStream[ \t]*=[ \t]*(\S*)[ \t]*$/gm)) {
    const p = /(?:^|:)(\d+)$/.exec(m[1] ?? '');
    if (p && Number(p[1]) === port) return true;
  }
  return false;
}

/** The first *.socket in the user unit folder with a ListenStream= on `port`. */
export function systemdClaimsPort(port: number, ctx: AddressContext): InstalledService | null {
  const path = filesEndingIn(systemdUnitDir(ctx), '.socket').find((p) => socketUnitListensOn(readText(p), port));
  return path ? { init: 'systemd', path } : null;
}
