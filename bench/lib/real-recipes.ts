// The README's recipes for running existing daemons, as install-service arguments, with the real programs they need found or the reason they are absent.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { distDir, repoRoot } from './variants.js';

export interface Recipe {
  id: string;
  label: string;
  name: string;
  port: number;
  health: string;
  /** install-service arguments after `install --name NAME --port PORT`. */
  args: string[];
  /** Exit code install must give (2: refused before anything is written). */
  expectCode: number;
  /** The same program binding its own port by itself, for the side-by-side figures. */
  direct?: { argv: string[]; env: Record<string, string>; port: number };
  /** What the README says another local user gets on the port. */
  otherUser?: 'refused' | 'answered';
  /** The proxy worker stops the program on idle exit (checked: no process of the service is left). */
  idleExit?: boolean;
  /** claude-mem's plugin folder: its own hooks are run against the service. */
  hooks?: string;
}

/** The bun binary of the @oven/bun-linux-x64 dev dependency, or null. */
export const bunBin = ((p) => (existsSync(p) ? p : null))(
  join(repoRoot, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun'),
);

/** Outside /tmp and /var/tmp: the box mounts a fresh tmpfs over both, so a package there is invisible to its services. */
const hiddenByBox = (p: string): boolean => /^\/(var\/)?tmp\//.test(p);

/** claude-mem's package folder: $INITSOCK_CLAUDE_MEM, else `$(npm root -g)/claude-mem`; or why it cannot be used. */
export function claudeMem(): { dir: string } | { why: string } {
  let dir = process.env.INITSOCK_CLAUDE_MEM;
  if (!dir) {
    try {
      dir = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8', timeout: 20_000 }).trim(), 'claude-mem');
    } catch {
      dir = '';
    }
  }
  if (!dir || !existsSync(join(dir, 'plugin', 'scripts', 'worker-service.cjs'))) {
    return {
      why: 'claude-mem is not installed: npm install --legacy-peer-deps --ignore-scripts claude-mem in a folder outside /tmp, then INITSOCK_CLAUDE_MEM=<folder>/node_modules/claude-mem',
    };
  }
  return hiddenByBox(dir)
    ? { why: `${dir} lies under /tmp or /var/tmp, which the box hides; install claude-mem elsewhere (e.g. /srv)` }
    : { dir };
}

const daemons = join(repoRoot, 'test', 'fixtures', 'daemons');
const bindsPort = join(distDir, 'test', 'fixtures', 'daemons', 'binds-port.js');

/** claude-mem's worker, adopted and behind the proxy; its per-user port is 37700 + uid % 100 (uid 0 in the box). */
export function claudeMemRecipes(dir: string): Recipe[] {
  const worker = join(dir, 'plugin', 'scripts', 'worker-service.cjs');
  const direct = { argv: ['bun', worker, '--daemon'], env: { CLAUDE_MEM_WORKER_PORT: '37701' }, port: 37701 };
  const base = { port: 37700, health: '/api/health', expectCode: 0, direct, hooks: join(dir, 'plugin') };
  return [
    {
      ...base,
      id: 'claude-mem-adopt',
      label: 'claude-mem (bun), --adopt',
      name: 'claude-mem',
      otherUser: 'answered',
      args: ['--health-path', '/api/health', '--adopt', '--', 'bun', worker, '--daemon'],
    },
    {
      ...base,
      id: 'claude-mem-proxy',
      label: 'claude-mem (bun), --proxy-port',
      name: 'claude-mem',
      otherUser: 'refused',
      idleExit: true,
      args: [
        '--health-path',
        '/api/health',
        '--idle-timeout',
        '5s',
        '--proxy-port',
        '37799',
        '--env',
        'CLAUDE_MEM_WORKER_PORT=37799',
        '--',
        'bun',
        worker,
        '--daemon',
      ],
    },
  ];
}

/** A uvicorn.run console script (memtomem's `mm web` shape) adopted, and `uvicorn --fd 3` run as it is. */
export function uvicornRecipes(): Recipe[] {
  const app = ['-m', 'uvicorn', '--app-dir', daemons, 'asgi_app:app'];
  return [
    {
      id: 'uvicorn-run-adopt',
      label: 'uvicorn.run console script, --adopt',
      name: 'mm-web',
      port: 38010,
      health: '/api/health',
      expectCode: 0,
      otherUser: 'answered',
      args: ['--health-path', '/api/health', '--adopt', '--', join(daemons, 'serve_app.py'), '38010'],
      direct: { argv: [join(daemons, 'serve_app.py'), '38011'], env: {}, port: 38011 },
    },
    {
      id: 'uvicorn-fd-exec',
      label: 'uvicorn --fd 3, --exec',
      name: 'my-api',
      port: 38020,
      health: '/api/health',
      expectCode: 0,
      otherUser: 'answered',
      args: [
        '--health-path',
        '/api/health',
        '--working-dir',
        daemons,
        '--exec',
        '--',
        'python3',
        '-m',
        'uvicorn',
        'asgi_app:app',
        '--fd',
        '3',
      ],
      direct: { argv: ['python3', ...app, '--port', '38021'], env: {}, port: 38021 },
    },
    {
      id: 'uvicorn-port-adopt',
      label: 'uvicorn --port, --adopt',
      name: 'my-api',
      port: 38060,
      health: '/api/health',
      expectCode: 0,
      otherUser: 'answered',
      args: ['--health-path', '/api/health', '--adopt', '--', 'python3', ...app, '--port', '38060'],
      direct: { argv: ['python3', ...app, '--port', '38061'], env: {}, port: 38061 },
    },
  ];
}

/** A Node daemon that probes and binds its port, adopted; initsock's own worker under bun: refused, and as the proxy. */
export function nodeAndBunRecipes(): Recipe[] {
  const recipes: Recipe[] = [
    {
      id: 'node-daemon-adopt',
      label: 'Node daemon binding its port, --adopt',
      name: 'my-daemon',
      port: 38030,
      health: '/health',
      expectCode: 0,
      otherUser: 'answered',
      args: ['--adopt', '--', 'node', bindsPort, '38030'],
      direct: { argv: [process.execPath, bindsPort, '38031'], env: {}, port: 38031 },
    },
  ];
  if (!bunBin) return recipes;
  return [
    ...recipes,
    {
      id: 'worker-under-bun',
      label: "initsock's worker, --node bun",
      name: 'bun-worker',
      port: 38040,
      health: '/health',
      expectCode: 2,
      args: ['--node', 'bun'],
    },
    {
      id: 'proxy-under-bun',
      label: 'the proxy worker under bun, --node bun --proxy-port',
      name: 'bun-proxy',
      port: 38050,
      health: '/health',
      expectCode: 0,
      otherUser: 'refused',
      idleExit: true,
      args: ['--node', 'bun', '--idle-timeout', '5s', '--proxy-port', '38051', '--', 'node', bindsPort, '38051'],
    },
  ];
}

/** PATH inside the box: bun's folder first (recipes name `bun`), then node's. */
export const recipePath = (): string =>
  [bunBin ? dirname(bunBin) : null, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin']
    .filter(Boolean)
    .join(':');
