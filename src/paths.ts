// Where the installed package lives, so templates and the bundled worker are found from dist/ or from a registry install.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the folder holding package.json, units/ and plists/ (this file is dist/src/paths.js). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const unitsDir = join(packageRoot, 'units');
export const plistsDir = join(packageRoot, 'plists');
/** The bundled default worker's entry point. */
export const defaultWorkerEntry = join(packageRoot, 'dist', 'src', 'bin', 'worker.js');
