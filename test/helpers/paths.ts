// Paths tests use: the repo root, the built worker and CLIs, and a scratch folder outside /tmp (see test/integration/box).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync } from 'node:fs';

/** This file is dist/test/helpers/paths.js; the repo root is three levels up. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const distDir = join(repoRoot, 'dist');
export const workerBin = join(distDir, 'src', 'bin', 'worker.js');
export const initsockBin = join(distDir, 'src', 'bin', 'initsock.js');
export const installCli = join(distDir, 'install', 'cli.js');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** A fresh scratch directory under test/.work (outside /tmp, so an isolated systemd can see it). */
export function scratchDir(prefix: string): string {
  const base = join(repoRoot, 'test', '.work');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}
