// An --app that throws InitsockError makes every build of the worker (plain, bundle, fast entry) exit 78, not 1 with a stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { distDir } from '../helpers/paths.js';

const bin = join(distDir, 'src', 'bin');
const app = join(distDir, 'test', 'fixtures', 'runtime', 'app-initsock-error.js');
const entries = { plain: 'worker.js', bundle: 'worker.bundle.cjs', fast: 'worker-fast.cjs' };

function run(entry: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(bin, entry), '--listen', '127.0.0.1:0', '--app', app], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      output += d;
    });
    child.once('close', (code) => resolve({ code, output }));
  });
}

for (const [build, entry] of Object.entries(entries)) {
  test(`${build} entry: an --app throwing InitsockError exits 78 with its code and message, without a stack`, async () => {
    const { code, output } = await run(entry);
    assert.equal(code, 78, output);
    assert.match(output, /INVALID_VALUE: the app refuses its configuration: DATABASE_URL is not set/);
    assert.doesNotMatch(output, /\n\s+at /, 'a stack trace was printed for a configuration error');
  });
}
