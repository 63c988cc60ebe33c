#!/usr/bin/env node
// The install-service bin: runs main() with the real process environment and exits with its code.
import { realDeps } from './deps.js';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), realDeps());
