// The workers the bench compares (the bare node:http floor and each build of the initsock worker), run from a snapshot of dist/src.
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file is dist/bench/lib/variants.js: the repo root is three levels up. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const distDir = join(repoRoot, 'dist');
export const workDir = join(repoRoot, 'bench', '.work');
/** The bare worker as tsc emits it (ESM); the bench runs it as one CommonJS file, see floorWorker(). */
export const bareWorkerEsm = join(distDir, 'bench', 'workers', 'bare.js');
/** The floor the bench runs: bare.js converted to CommonJS, the form Node starts fastest (no ESM loader). */
export const bareWorker = join(workDir, 'bare.cjs');
export const handmadeHook = join(distDir, 'bench', 'handmade', 'hook.js');
/**
 * The package as the bench runs it: a copy of package.json and dist/src (timestamps kept) taken when the run
 * starts. Other people rebuilding dist/ during a run (this machine is shared) then cannot mix two builds into one
 * figure. It sits in the repo, so node_modules resolves as from dist/, and outside /tmp, so the systemd box sees it.
 */
export const snapshotRoot = join(workDir, 'package');
const snapBin = join(snapshotRoot, 'dist', 'src', 'bin');
export const plainWorker = join(snapBin, 'worker.js');
export const bundledWorker = join(snapBin, 'worker.bundle.cjs');
export const fastWorker = join(snapBin, 'worker-fast.cjs');
/** install-service from the snapshot, so its default entry is the snapshot's fast worker. */
export const installCli = join(snapshotRoot, 'dist', 'install', 'cli.js');
/** The `initsock` command as users get it: package.json's bin (the fast entry when the build made it). */
export const initsockCli = join(
  snapshotRoot,
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.initsock ??
    'dist/src/bin/initsock.js',
);

/** Copies package.json, dist/src, dist/install and the templates into snapshotRoot. */
export function takeSnapshot(): void {
  mkdirSync(snapshotRoot, { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(snapshotRoot, 'package.json'));
  for (const dir of ['dist/src', 'dist/install', 'adopt', 'units', 'plists']) {
    // the folders of package.json files that run
    if (existsSync(join(repoRoot, dir)))
      cpSync(join(repoRoot, dir), join(snapshotRoot, dir), { recursive: true, preserveTimestamps: true });
  }
}

/** The snapshot's copy of a path in the package (e.g. the default worker entry from src/paths.ts). */
export function inSnapshot(path: string): string {
  return join(snapshotRoot, relative(repoRoot, path));
}

export interface Variant {
  id: string;
  label: string;
  entry: string;
  /** The reference every other variant is divided by. */
  floor?: boolean;
}

/** Every cold-start variant whose entry file exists, the floor first. */
export function coldVariants(): { variants: Variant[]; missing: Variant[] } {
  const all: Variant[] = [
    { id: 'bare', label: 'bare node:http (floor)', entry: bareWorker, floor: true },
    { id: 'plain', label: 'initsock, plain dist/src/bin/worker.js', entry: plainWorker },
    { id: 'bundle', label: 'initsock, esbuild bundle', entry: bundledWorker },
    { id: 'fast', label: 'initsock, the bin (worker-fast.cjs, runs the bundle)', entry: fastWorker },
  ];
  return { variants: all.filter((v) => existsSync(v.entry)), missing: all.filter((v) => !existsSync(v.entry)) };
}

/** Writes the floor worker (bench/.work/bare.cjs) from dist/bench/workers/bare.js, so the floor is as low as Node goes. */
export function prepareFloor(): void {
  buildSync({
    entryPoints: [bareWorkerEsm],
    outfile: bareWorker,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
  });
}

/** What a fast entry does right now: "bundle" (it runs the bundle) or "stale bundle, running worker.js". */
export function fastEntryState(entry = fastWorker): string {
  if (!existsSync(entry)) return 'not built';
  const r = spawnSync(process.execPath, [entry, '--version'], {
    env: { ...process.env, INITSOCK_ENTRY_REPORT: '1' },
    encoding: 'utf8',
  });
  return /initsock entry: (.*)/.exec(r.stderr)?.[1] ?? `unknown (exit ${r.status})`;
}
