// The worker's command line for a ServiceConfig: one definition shared by the systemd unit and the launchd plist.
import { DEFAULT_DRAIN_MS, MAX_DRAIN_MS } from '../contract/index.js';
import { InitsockError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { programWords, proxyWords } from './program.js';
import type { ServiceConfig } from './types.js';

export { DEFAULT_DRAIN_MS as DEFAULT_SHUTDOWN_TIMEOUT_MS };

/** The worker's --shutdown-timeout in ms (default 10 s); INVALID_VALUE outside 0..1h. */
export function shutdownTimeoutMs(cfg: ServiceConfig): number {
  const ms = cfg.shutdownTimeoutMs ?? DEFAULT_DRAIN_MS;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DRAIN_MS) {
    throw new InitsockError('INVALID_VALUE', `--shutdown-timeout ${ms} ms is out of range. Use 0 to 1h, like 10s.`);
  }
  return ms;
}

/**
 * The service's command line as [field, word] pairs (the field names the word in error messages). For --exec and
 * --adopt, exactly the program's command. Otherwise initsock's worker: node, entry, --idle-timeout, --name, [--app],
 * --shutdown-timeout, [--token-file], then `platformArgs`, cfg.extraArgs and, for --proxy-port, the proxy flags.
 */
export function workerCommand(cfg: ServiceConfig, platformArgs: string[] = []): Array<[string, string]> {
  if (cfg.program !== undefined && cfg.program.mode !== 'proxy') return programWords(cfg.program);
  const flag = (name: string, value: string): Array<[string, string]> => [
    [name, name],
    [name, value],
  ];
  const words: Array<[string, string]> = [
    ['--node', cfg.node],
    ['--entry', cfg.entry],
    ...flag('--idle-timeout', formatDuration(cfg.idleTimeoutMs)),
    ...flag('--name', cfg.name),
  ];
  if (cfg.app !== undefined) words.push(...flag('--app', cfg.app));
  words.push(...flag('--shutdown-timeout', formatDuration(shutdownTimeoutMs(cfg))));
  if (cfg.tokenFile !== undefined) words.push(...flag('--token-file', cfg.tokenFile));
  const extra = [...platformArgs, ...(cfg.extraArgs ?? [])];
  const proxy = cfg.program?.mode === 'proxy' ? proxyWords(cfg.program, cfg.health) : [];
  return [...words, ...extra.map((a): [string, string] => ['worker argument', a]), ...proxy];
}

/** The worker's argv, unescaped. */
export function workerArgv(cfg: ServiceConfig, platformArgs: string[] = []): string[] {
  return workerCommand(cfg, platformArgs).map(([, word]) => word);
}
