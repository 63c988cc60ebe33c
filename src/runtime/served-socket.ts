// After listening on an inherited fd: proof that the server serves that socket, not a port of its own (exit 78 otherwise).
import { readFileSync, readlinkSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { InitsockError } from '../errors.js';
import { addressBytes } from '../security/peer-owner.js';

/** The local address of the TCP socket at `fd`, from /proc (Linux); null where it cannot be read. */
export function fdLocalAddress(fd: number): { bytes: number[]; port: number } | null {
  try {
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
    if (!inode) return null;
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const row = readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .find((c) => c[9] === inode);
      const [hex = '', port = ''] = row?.[1]?.split(':') ?? [];
      if (row) return { bytes: procHexBytes(hex), port: parseInt(port, 16) };
    }
  } catch {
    /* no /proc */
  }
  return null;
}

/** /proc's hex address (32-bit words in host order, little-endian here) as 16 bytes, IPv4 as ::ffff:a.b.c.d. */
function procHexBytes(hex: string): number[] {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  return bytes.length === 4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...bytes] : bytes;
}

/**
 * Throws WRONG_SOCKET unless `server` serves the socket at `fd`. Node's listen({fd}) always does (its handle holds
 * that very fd, checked first, for free); a runtime that ignores the fd (bun's http.Server listens on a random port
 * on every interface instead) is caught by comparing server.address() with the fd's own address.
 */
export function checkServesFd(server: Server, fd: number, name: string): void {
  if ((server as unknown as { _handle?: { fd?: unknown } })._handle?.fd === fd) return;
  const expected = fdLocalAddress(fd);
  const got = server.address() as AddressInfo | null;
  if (expected === null) return; // nothing to compare with (no /proc): the handle check above is all there is
  const same = got !== null && got.port === expected.port && addressBytes(got.address).join() === expected.bytes.join();
  if (same) return;
  throw new InitsockError(
    'WRONG_SOCKET',
    `the worker was given fd ${fd} ("${name}"), a socket on port ${expected.port}, but it listens on ` +
      `${got ? `${got.address}:${got.port}` : 'nothing'}: this runtime (${process.versions.bun ? `bun ${process.versions.bun}` : process.release.name}) ` +
      'ignored the inherited fd, which would serve an unknown port, perhaps on every interface. Run the worker with node ' +
      '(install-service --node PATH-TO-NODE); for a bun program, put it behind the worker (--proxy-port) instead.',
    { details: { fd, expectedPort: expected.port, got } },
  );
}
