// The real systemd --user of the box harness (test/integration/box), when this machine can boot one: units, probes, timing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeResult } from './probe.js';
import { distDir } from './variants.js';

/** The part of the box harness the bench uses (test/integration/box/box.ts). */
export interface BoxLike {
  home: string;
  userEnv: Record<string, string>;
  exec(
    argv: string[],
    options?: { env?: Record<string, string>; timeoutMs?: number; input?: string },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  systemctlUser(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** Boots a box, or returns the reason it cannot (not root, harness not built, boot failed). */
export async function bootBoxOrWhy(): Promise<BoxLike | string> {
  if (process.getuid?.() !== 0) return 'the systemd box needs root (unshare and a private systemd)';
  try {
    const mod = (await import(join(distDir, 'test', 'integration', 'box', 'boot.js'))) as {
      bootBox(): Promise<BoxLike>;
    };
    return await mod.bootBox();
  } catch (err) {
    return `the systemd box did not boot: ${(err as Error).message.split('\n')[0]}`;
  }
}

/**
 * Writes a socket + service pair for `name` (Accept=no, Type=exec, like the installer's) and starts the socket.
 * StartLimitIntervalSec=0: the bench starts each service many times a minute, which systemd's default start limit
 * (5 in 10 s) would refuse, failing the socket.
 */
export async function installBenchUnits(
  box: BoxLike,
  name: string,
  port: number,
  argv: string[],
  env: Record<string, string> = {},
): Promise<void> {
  const dir = join(box.home, '.config', 'systemd', 'user');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.socket`),
    `[Socket]\nListenStream=127.0.0.1:${port}\nAccept=no\nFileDescriptorName=${name}\n`,
  );
  const envLines = Object.entries(env)
    .map(([k, v]) => `Environment=${k}=${v}\n`)
    .join('');
  writeFileSync(
    join(dir, `${name}.service`),
    `[Unit]\nRequires=${name}.socket\nAfter=${name}.socket\nStartLimitIntervalSec=0\n[Service]\nType=exec\n${envLines}ExecStart=${argv.join(' ')}\nKillMode=control-group\n`,
  );
  await must(box.systemctlUser('daemon-reload'), 'daemon-reload');
  await must(box.systemctlUser('start', `${name}.socket`), `start ${name}.socket`);
}

/** Runs the probe inside the box: `n` concurrent GET /health against `port`. */
export async function probe(box: BoxLike, port: number, n = 1): Promise<ProbeResult[]> {
  const res = await box.exec([process.execPath, join(distDir, 'bench', 'lib', 'probe.js'), String(port), String(n)], {
    timeoutMs: 90_000,
  });
  if (res.code !== 0) throw new Error(`probe in the box exited ${res.code}: ${res.stderr.trim().slice(-300)}`);
  return JSON.parse(res.stdout) as ProbeResult[];
}

async function must(p: Promise<{ code: number; stderr: string }>, what: string): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(`systemctl --user ${what} failed in the box (${r.code}): ${r.stderr.trim()}`);
}

/** TcpExt ListenOverflows in the box's network namespace: SYNs dropped because a listen queue was full. */
export async function listenOverflows(box: BoxLike): Promise<number> {
  const text = (await box.exec(['cat', '/proc/net/netstat'])).stdout.split('\n');
  const names = text.find((l) => l.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
  const values = text.filter((l) => l.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf('ListenOverflows')] ?? Number.NaN);
}
