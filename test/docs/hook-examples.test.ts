// The README's hook examples work as pasted: hooks.json parses, and the shell and Node hooks reach a worker with the token.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureToken } from '../../src/security/token.js';
import { freePort } from '../helpers/net.js';
import { repoRoot, scratchDir } from '../helpers/paths.js';

const section = (): string => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Calling the worker from a hook');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
};
const block = (lang: string, opening: string): string => {
  const found = [...section().matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))]
    .map((m) => m[1] as string)
    .find((c) => c.startsWith(opening));
  assert.ok(found, `no ${lang} block starting with ${opening}`);
  return found;
};

/** Runs a hook with `input` on stdin (asynchronously: the stand-in worker lives in this process). */
function runHook(
  file: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', reject).once('close', (status) => resolve({ status, stderr }));
    child.stdin.end(input);
  });
}

/** A stand-in worker for service my-plugin on `port`: 200 with the body for the right token, else 401. */
function worker(port: number, token: string, bodies: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req
      .on('data', (d: Buffer) => {
        body += d.toString();
      })
      .on('end', () => {
        res.statusCode =
          req.headers.authorization === `Bearer ${token}` && req.url === '/hook/post-tool-use' ? 200 : 401;
        if (res.statusCode === 200) bodies.push(body);
        res.end('{}');
      });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

test('the hooks.json example is valid JSON with command hooks', () => {
  const json = JSON.parse(block('json', '{\n  "hooks"')) as {
    hooks: Record<string, Array<{ hooks: Array<{ type: string; command: string }> }>>;
  };
  const commands = Object.values(json.hooks)
    .flat()
    .flatMap((m) => m.hooks);
  assert.ok(
    commands.length >= 2 && commands.every((c) => c.type === 'command' && c.command.includes('${CLAUDE_PLUGIN_ROOT}')),
  );
});

test('the shell and Node hooks send the event with the token to the installed worker', async (t) => {
  const dir = scratchDir('hooks');
  // The package as a plugin has it installed, so 'initsock/client' resolves to this build.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'initsock'));
  const home = join(dir, 'home');
  const port = await freePort();
  const tokenFile = join(home, '.config', 'initsock', 'my-plugin', 'token');
  ensureToken(tokenFile);
  const token = readFileSync(tokenFile, 'utf8').trim();
  mkdirSync(join(home, '.config', 'systemd', 'user'), { recursive: true });
  writeFileSync(
    join(home, '.config', 'systemd', 'user', 'my-plugin.socket'),
    `[Socket]\nListenStream=127.0.0.1:${port}\n`,
  );
  const bodies: string[] = [];
  const server = await worker(port, token, bodies);
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = { PATH: process.env.PATH, HOME: home };
  writeFileSync(join(dir, 'hook.sh'), block('sh', '#!/bin/sh').replace('38000', String(port)));
  const sh = await runHook('sh', [join(dir, 'hook.sh')], '{"from":"sh"}', env);
  assert.equal(sh.status, 0, sh.stderr);
  writeFileSync(join(dir, 'hook.mjs'), block('js', '#!/usr/bin/env node'));
  const node = await runHook(process.execPath, [join(dir, 'hook.mjs')], '{"from":"node"}', env);
  assert.equal(node.status, 0, node.stderr);
  assert.equal(node.stderr, '', 'the worker answered 200');
  assert.deepEqual(bodies, ['{"from":"sh"}', '{"from":"node"}']);
});
