// Checks that the node a LaunchAgent will run can load koffi, which the worker needs to take launchd's socket.
import { InitsockError } from '../../errors.js';
import { koffiEntry } from '../../util/koffi.js';
import type { SystemContext } from '../types.js';

/**
 * The probe: the service's node requires koffi and prints its own architecture. npm installs only the koffi binary
 * for the node that ran npm (@koromix/koffi-darwin-<arch>), so an x64 node under Rosetta beside an arm64 npm, or
 * `npm ci --omit=optional`, leaves a worker that exits 78 on every connection, throttled 10 s each time.
 */
export function koffiProbeArgv(node: string, entry = koffiEntry()): string[] {
  return [node, '-e', `require(${JSON.stringify(entry)}); process.stdout.write(process.arch)`];
}

/** Throws INVALID_VALUE (exit 2, before anything is written) when `node` cannot load koffi. */
export async function checkNodeLoadsKoffi(node: string, ctx: SystemContext): Promise<void> {
  const result = await ctx.run(koffiProbeArgv(node), { env: ctx.env });
  if (result.code === 0) return;
  const why =
    result.stderr
      .split('\n')
      .find((l) => /Error|Cannot find/.test(l))
      ?.trim() ?? `exit code ${result.code}`;
  throw new InitsockError(
    'INVALID_VALUE',
    `the service's node (${node}) cannot load koffi, which the worker needs to take launchd's socket: ${why}. ` +
      `npm installed koffi's binary only for the architecture of the node that ran it (${process.arch} here), and none with --omit=optional. ` +
      `Pass --node with a node of that architecture (on Apple Silicon usually /opt/homebrew/bin/node, not an x64 /usr/local/bin/node under Rosetta), ` +
      'or reinstall initsock with the node the service should use (without --omit=optional).',
    { details: { argv: result.argv, exitCode: result.code, stderr: result.stderr.trim() } },
  );
}
