#!/usr/bin/env node
// The install-service bin's program (bundled as install-service.bundle.cjs): main() with the real environment, exiting with its code.
import { realDeps } from '../../install/deps.js';
import { main } from '../../install/main.js';

void main(process.argv.slice(2), realDeps()).then((code) => {
  process.exitCode = code;
});
