// One-request helpers for tests: GET a path from inside the box with the get-json fixture.
import type { Box } from './box.js';
import { boxFixture, runNode } from './client.js';

export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/** GET http://127.0.0.1:port/path from inside the box on a fresh connection; throws with the client's error. */
export async function getJson(box: Box, port: number, path: string): Promise<JsonReply> {
  const result = await runNode(box, boxFixture('get-json'), [String(port), path]);
  if (result.code !== 0) throw new Error(`GET ${path} failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as JsonReply;
}

/** Like getJson, but resolves with the failure text instead of throwing (for requests expected to break). */
export async function tryGetJson(box: Box, port: number, path: string): Promise<JsonReply | { error: string }> {
  const result = await runNode(box, boxFixture('get-json'), [String(port), path]);
  return result.code === 0 ? (JSON.parse(result.stdout) as JsonReply) : { error: result.stderr.trim() };
}

/** The pid in a reply's body (the worker's /health and the fixture apps report it). */
export function replyPid(reply: JsonReply): number {
  const pid = reply.body.pid;
  if (typeof pid !== 'number') throw new Error(`reply has no pid: ${JSON.stringify(reply)}`);
  return pid;
}
