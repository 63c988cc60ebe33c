// GET /health: the worker's liveness answer, in the JSON shape src/contract/network.ts fixes.
import type { HealthBody } from '../contract/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { ActivationKind } from '../activation/types.js';
import { packageRoot } from '../paths.js';

export type { HealthBody };

let version: string | undefined;

/** The package version, read once on first use (not at start-up). */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      version = String(
        (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version,
      );
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export function healthBody(name: string, activation: ActivationKind, requests: number): HealthBody {
  return {
    status: 'ok',
    name,
    pid: process.pid,
    activation,
    uptimeMs: Math.round(process.uptime() * 1000),
    version: packageVersion(),
    requests,
  };
}

/** Writes a JSON response with an explicit length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
