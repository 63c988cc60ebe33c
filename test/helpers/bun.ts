// The bun binary that scripts/test-deps.sh installs (@oven/bun-linux-x64, linux x64 only), or null where it is absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const path = join(repoRoot, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun');
export const bunBin: string | null = existsSync(path) ? path : null;
