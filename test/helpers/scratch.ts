// Scratch folders tests share with the test box and with other local users: never under /tmp (the box mounts a
// tmpfs over it) and never inside a folder other users cannot enter (a 0700 home, /root), wherever the checkout is.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

/** Root's scratch base: root-owned, 0755, on the root filesystem (the box sees it, any user can enter it). */
export const ROOT_SCRATCH_BASE = '/var/lib/initsock-test';

/** Refuses a base that is a symlink, not a folder, not root's, or writable by others: someone could plant files. */
function checkBase(base: string): void {
  const st = lstatSync(base);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${base} must be a folder owned by root and writable by root only (mode 0755); ` +
        `it is ${st.isSymbolicLink() ? 'a symbolic link' : `uid ${st.uid}, mode ${(st.mode & 0o7777).toString(8)}`}. Remove it and re-run.`,
    );
  }
}

/** Removes run folders whose test process is gone (each records its owner pid), unless boxes are kept for debugging. */
function sweep(base: string): void {
  if (process.env.INITSOCK_KEEP_BOX) return;
  for (const entry of readdirSync(base)) {
    const owner = join(base, entry, 'owner.pid');
    if (!entry.startsWith('run-') || !existsSync(owner)) continue;
    const pid = Number(readFileSync(owner, 'utf8'));
    if (pid !== process.pid && !existsSync(`/proc/${pid}`)) rmSync(join(base, entry), { recursive: true, force: true });
  }
}

let runDir: string | undefined;

/** This test process's run folder (0755), created on first use and removed when the process exits. */
function currentRun(fallbackBase: string): string {
  if (runDir) return runDir;
  const root = process.getuid?.() === 0;
  const base = root ? ROOT_SCRATCH_BASE : resolve(fallbackBase);
  mkdirSync(base, { recursive: true, mode: 0o755 });
  if (root) checkBase(base);
  sweep(base);
  const dir = mkdtempSync(join(base, 'run-'));
  chmodSync(dir, 0o755); // mkdtemp made it 0700; other users must reach the folders tests open for them
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  process.on('exit', () => {
    if (!process.env.INITSOCK_KEEP_BOX) rmSync(dir, { recursive: true, force: true });
  });
  runDir = dir;
  return dir;
}

/**
 * A fresh scratch folder (mode 0700). As root: under a per-process run folder in /var/lib/initsock-test; otherwise
 * (no box, no other users) under `fallbackBase`, the checkout's test/.work.
 */
export function freshScratch(prefix: string, fallbackBase: string): string {
  return mkdtempSync(join(currentRun(fallbackBase), `${prefix}-`));
}
