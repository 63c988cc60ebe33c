// Paths tests use: the repo root, the built worker and CLIs, and scratch folders the box and other users can reach.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { freshScratch } from './scratch.js';

/** This file is dist/test/helpers/paths.js; the repo root is three levels up. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const distDir = join(repoRoot, 'dist');
export const workerBin = join(distDir, 'src', 'bin', 'worker.js');
export const initsockBin = join(distDir, 'src', 'bin', 'initsock.js');
export const installCli = join(distDir, 'install', 'cli.js');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/**
 * A fresh scratch directory the test box and other local users can reach wherever the checkout is (see scratch.ts:
 * a per-run folder in /var/lib/initsock-test as root, else test/.work).
 */
export function scratchDir(prefix: string): string {
  return freshScratch(prefix, join(repoRoot, 'test', '.work'));
}

/**
 * A fresh folder inside the checkout (test/.work, ignored by git), for code that must resolve this package by its
 * name ('initsock', 'initsock/client') and its node_modules, as a user's project does. Remove it after the test.
 */
export function packageScratchDir(prefix: string): string {
  const base = join(repoRoot, 'test', '.work');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/**
 * Why another local user cannot run files from this checkout (a folder above it they cannot enter, such as a 0700
 * home or /root), or null when they can.
 */
export function checkoutHiddenFromOthers(): string | null {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      return `other users cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}), which holds this checkout; clone it under a folder they can enter to run this test`;
    }
    if (dirname(dir) === dir) return null;
  }
}
