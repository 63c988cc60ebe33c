// --adopt's environment: the preload for the program's runtime (daemon side in src/adopt/), merged with the user's --env, and what each init system allows.
import { ADOPT_NODE_PRELOAD, ADOPT_PYTHON_PATH, adoptEnvironment } from '../src/adopt/paths.js';
import { initSystemFor } from '../src/service/detect.js';
import { staleReason } from '../src/service/node-binary.js';
import type { InitKind, ServiceConfig } from '../src/service/types.js';

/**
 * The service's environment with the preload's variables: a NODE_OPTIONS, BUN_OPTIONS or PYTHONPATH given with --env
 * is kept after initsock's entry (in its place in the list); the others follow the user's pairs.
 */
export function withAdoptEnv(cfg: ServiceConfig): Array<[string, string]> {
  if (cfg.program?.mode !== 'adopt') return cfg.env;
  const added = adoptEnvironment(cfg.program.runtime, cfg.port, Object.fromEntries(cfg.env));
  const env = cfg.env.map(([k, v]): [string, string] => [k, added[k] ?? v]);
  const present = new Set(cfg.env.map(([k]) => k));
  return [...env, ...Object.entries(added).filter(([k]) => !present.has(k))];
}

/** What the init system allows for a program run as the service: its warnings, or a refusal (InitSystem.programNotes). */
export function initNotes(cfg: ServiceConfig, init: InitKind): string[] {
  return initSystemFor(init).programNotes?.(cfg) ?? [];
}

/** A warning when the preload lives where it goes away (an npx cache...). */
export function adoptStaleness(cfg: ServiceConfig): string[] {
  if (cfg.program?.mode !== 'adopt') return [];
  const path = cfg.program.runtime === 'python' ? ADOPT_PYTHON_PATH : ADOPT_NODE_PRELOAD;
  const why = staleReason(path);
  return why
    ? [
        `initsock's preload ${path} lives in ${why}, which can be cleared at any time; the program would then start ` +
          'without it and fail to take the socket. Install initsock for good (npm install -g initsock) and run install-service from there.',
      ]
    : [];
}
