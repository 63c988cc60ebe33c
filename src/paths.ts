// Where the installed package lives, so templates and the bundled worker are found from dist/ or from a registry install.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the folder holding package.json, units/ and plists/ (this file is dist/src/paths.js). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const unitsDir = join(packageRoot, 'units');
export const plistsDir = join(packageRoot, 'plists');
/** The default worker as tsc emits it: plain ESM modules, the one to read and debug. */
export const plainWorkerEntry = join(packageRoot, 'dist', 'src', 'bin', 'worker.js');
/** The same worker built for start-up speed by `npm run build` (one CommonJS bundle; scripts/bundle-worker.mjs). */
export const fastWorkerEntry = join(packageRoot, 'dist', 'src', 'bin', 'worker-fast.cjs');
/** The entry installs and the fallback client use by default: the fast build when it was made, else the plain one. */
export const defaultWorkerEntry = existsSync(fastWorkerEntry) ? fastWorkerEntry : plainWorkerEntry;
