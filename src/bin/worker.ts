#!/usr/bin/env node
// initsock-worker: the default worker (see src/worker/main.ts and `initsock-worker --help`).
import { main } from '../worker/main.js';

void main({ argv: process.argv.slice(2), env: process.env, exit: (code) => process.exit(code) });
