// request(): one HTTP call to the worker, starting it through fallback activation when nothing listens, retrying only unread requests.
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Server } from 'node:net';
import { claimPort } from './claim.js';
import { exchange, ExchangeError } from './http.js';
import { findInstalledService } from './installed.js';
import * as msg from './messages.js';
import { resolveOptions, type RequestOptions, type Resolved } from './options.js';
import { spawnWorker } from './spawn.js';
import { hasAuthorization, readServiceToken, tokenForNewWorker } from './token.js';
import { homeOf } from './paths.js';
import { tokenPath } from '../security/token.js';

export interface ClientResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** "running": the port already had a listener; "fallback": this call started the worker. */
  mode: 'running' | 'fallback';
  attempts: number;
  text(): string;
  json(): unknown;
}

/** Errors on which a request is retried when no response byte arrived: nobody read it. */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

interface State {
  r: Resolved;
  situation: msg.Situation;
  spawned: ChildProcess | null;
  spawnedExit: Promise<string> | null;
  /** Size of the log when we spawned, so a crash report quotes what our worker wrote. */
  logOffset: number;
}

/**
 * Sends `method path` to the worker on 127.0.0.1:port and resolves with the buffered response, whatever
 * its status. Rejects with an InitsockError: BAD_USAGE (bad options), TIMEOUT, SERVICE_INSTALLED_NOT_RUNNING,
 * UNREACHABLE, UNTRUSTED_LISTENER (another user holds the port), BAD_TOKEN_FILE / UNSAFE_PATH. Retry rule: a request is sent again only when the connection was refused,
 * reset or closed before a single response byte arrived (it sat unread in the queue of a worker that closed
 * its socket), at most `maxAttempts` connections in all and within the one total timeout.
 */
export async function request(method: string, path: string, options: RequestOptions = {}): Promise<ClientResponse> {
  const r = resolveOptions(method, path, options);
  const sent = addToken(r);
  const s: State = {
    r,
    spawned: null,
    spawnedExit: null,
    logOffset: 0,
    situation: {
      name: r.name,
      host: r.host,
      port: r.port,
      installed: r.installed,
      tried: ['running'],
      attempts: 0,
      logFile: r.logFile,
    },
  };
  const signal = AbortSignal.timeout(r.timeoutMs);
  for (;;) {
    s.situation.attempts++;
    try {
      const raw = await exchange({
        method: r.method,
        path: r.path,
        host: r.host,
        port: r.port,
        headers: r.headers,
        body: r.body,
        signal,
      });
      if (raw.status === 401 && sent === 'missing' && r.installed)
        throw msg.missingTokenError(s.situation, tokenPath(r.name, r.env, homeOf(r.env)));
      const mode = s.spawned ? 'fallback' : 'running';
      return {
        ...raw,
        mode,
        attempts: s.situation.attempts,
        text: () => raw.body.toString('utf8'),
        json: () => JSON.parse(raw.body.toString('utf8')),
      };
    } catch (err) {
      await recover(err, s, signal);
    }
  }
}

/** Adds `Authorization: Bearer <token>` from the service's token file, unless the caller set one; says which happened. */
function addToken(r: Resolved): 'sent' | 'missing' | 'caller' {
  if (!r.token || hasAuthorization(r.headers)) return 'caller';
  const found = readServiceToken(r.name, r.env);
  if (found) r.headers.authorization = `Bearer ${found.token}`;
  return found ? 'sent' : 'missing';
}

/** Returns to retry, or throws the error that ends the call. */
async function recover(err: unknown, s: State, signal: AbortSignal): Promise<void> {
  if (!(err instanceof ExchangeError)) throw err;
  if (err.errno === 'ABORTED' || signal.aborted) throw msg.timeoutError(s.situation, s.r.timeoutMs);
  if (err.responseStarted || !RETRYABLE.has(err.errno))
    throw msg.brokenError(s.situation, err.errno, err.responseStarted, err.original);
  if (s.situation.attempts >= s.r.maxAttempts) throw msg.exhaustedError(s.situation, err.errno);
  await checkOwnWorker(s, signal);
  if (err.errno === 'ECONNREFUSED') await activate(s);
}

/**
 * Fallback activation. The installed-service check comes first: with a unit or plist for this port, the
 * init system owns it, and a stray worker would hold the port against it. Then whoever binds the port
 * spawns the worker; a loser (EADDRINUSE) just returns and reconnects into the winner's queue.
 */
async function activate(s: State): Promise<void> {
  const { r, situation } = s;
  if (!r.fallback) throw msg.noFallbackError(situation);
  const installed = findInstalledService(r.port, r.name, r.env);
  if (installed) {
    situation.tried.push('installed-service');
    throw msg.installedNotRunningError(situation, installed);
  }
  if (!situation.tried.includes('fallback')) situation.tried.push('fallback');
  const server = await claimPort(r.port, r.host);
  if (server) startWorker(s, server);
}

/**
 * Spawns the worker on our bound socket, then closes our copy: from now on only the worker holds the port. The worker
 * requires the service's token, created here on first use, and this call sends it from now on.
 */
function startWorker(s: State, server: Server): void {
  const { r } = s;
  let extraEnv: Record<string, string>;
  try {
    extraEnv = { ...r.workerEnv, INITSOCK_TOKEN_FILE: tokenForNewWorker(r.name, r.env, r.headers, r.token) };
  } catch (err) {
    server.close();
    throw err;
  }
  s.logOffset = fileSize(r.logFile);
  try {
    const child = spawnWorker(server, { entry: r.entry, name: r.name, logFile: r.logFile, extraEnv, env: r.env });
    s.spawned = child;
    s.spawnedExit = new Promise((resolve) => {
      child.once('exit', (code, sig) => resolve(sig ? `was killed by ${sig}` : `exited with code ${code}`));
      child.once('error', (e) => resolve(`could not be started (${e.message})`));
    });
  } finally {
    server.close();
  }
}

/**
 * After a failed attempt, if this client started a worker: a worker that failed (non-zero exit, signal,
 * spawn error) is reported with its log instead of being started again and again. The exit is awaited
 * briefly (the reset can arrive before the exit is reaped); a clean idle exit just lets the loop retry.
 */
async function checkOwnWorker(s: State, signal: AbortSignal): Promise<void> {
  if (!s.spawned || !s.spawnedExit) return;
  const how = await raceExit(s.spawnedExit, signal, 2000);
  if (how === null || how === 'exited with code 0') return;
  throw msg.workerDiedError(s.situation, s.spawned.pid, how, s.logOffset);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function raceExit(exit: Promise<string>, signal: AbortSignal, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const done = (v: string | null): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const onAbort = (): void => done(null);
    const timer = setTimeout(() => done(null), ms);
    signal.addEventListener('abort', onAbort);
    void exit.then(done);
  });
}
