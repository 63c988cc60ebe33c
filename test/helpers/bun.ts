// The bun binary from the @oven/bun-linux-x64 dev dependency, or null where it is not installed (another platform).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const path = join(repoRoot, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun');
export const bunBin: string | null = existsSync(path) ? path : null;
