// `initsock request`: one HTTP call for shell hooks; body from stdin, response body on stdout, exit code from the status.
import { exitCodeFor as exitFor, isInitsockError } from '../errors.js';
import { parseRequestArgs } from './cli-args.js';
import { processIo } from './cli-io.js';
import { request, type ClientResponse } from './request.js';

/** Exit codes; documented in --help and the README. */
export const EXIT = { ok: 0, internal: 1, usage: 2, clientError: 4, serverError: 5, unreachable: 7 } as const;

export const REQUEST_HELP = `Usage: initsock request [options] METHOD PATH

Sends one HTTP request to the initsock worker and writes the response body to stdout. It dials the address
service NAME is installed on (its systemd socket unit or launchd plist), else 127.0.0.1:37777.
If nothing listens there and no service is installed for the port, it starts a worker first
(fallback activation); if a service is installed but not listening, it fails and says why.

Options:
  -p, --port PORT          worker port (default: $INITSOCK_PORT, else the installed one, else 37777)
      --host ADDR          loopback address to dial: 127.0.0.1 or ::1 (default: $INITSOCK_HOST, else the
                           installed one, else 127.0.0.1)
  -n, --name NAME          service name (default: $INITSOCK_NAME, else initsock-worker)
  -t, --timeout DUR        total time limit, e.g. 500ms, 5s (default 10s)
  -H, --header 'K: V'      add a request header (repeatable)
  -d, --data TEXT          request body (stdin is then not read)
      --no-stdin           send no body even when stdin is not a terminal
      --no-fallback        never start a worker: fail when nothing listens
      --app PATH           app module for a worker the fallback starts ($INITSOCK_APP)
      --idle-timeout DUR   idle timeout of a worker the fallback starts ($INITSOCK_IDLE_TIMEOUT, else 10min)
      --worker PATH        worker script the fallback starts ($INITSOCK_WORKER, else the bundled one)
  -h, --help               show this help

Set INITSOCK_DEBUG=1 to print how the worker was reached (running or fallback, attempts) on stderr.

The body is stdin when stdin is not a terminal, except for GET and HEAD. Without a Content-Type header it is sent as
application/json when it parses as JSON, else as application/octet-stream. The token in
$XDG_CONFIG_HOME/initsock/NAME/token, when present, is sent as "Authorization: Bearer".

Exit codes:
  0  2xx or 3xx response          4  4xx response (status also on stderr)
  5  5xx response                 7  no response: nothing could be reached or started, a service is
  2  usage error                     installed but not listening, the worker died, the timeout passed,
  1  unexpected internal error       another user holds the port, or the token file is unusable
`;

/** Maps an HTTP status to the exit code. */
export function exitCodeFor(status: number): number {
  if (status >= 500) return EXIT.serverError;
  if (status >= 400) return EXIT.clientError;
  return EXIT.ok;
}

/** Runs `initsock request ARGS`; returns the exit code, having written stdout and stderr. */
export async function runRequest(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const cmd = parseRequestArgs(argv, io.env);
    if (cmd.help) {
      io.out(REQUEST_HELP);
      return EXIT.ok;
    }
    const started = Date.now();
    const body = cmd.data === null ? await io.readStdin(cmd.options.timeoutMs) : cmd.data;
    const options = { ...cmd.options, timeoutMs: Math.max(1, cmd.options.timeoutMs - (Date.now() - started)) };
    if (body?.length) setContentType(options.headers ?? {}, body);
    const res = await request(cmd.method, cmd.path, { ...options, body });
    if (io.env.INITSOCK_DEBUG)
      io.err(`initsock request: ${res.status} from a ${res.mode} worker after ${res.attempts} attempt(s)\n`);
    return report(cmd.method, cmd.path, res, io);
  } catch (err) {
    if (!isInitsockError(err)) throw err;
    io.err(`initsock request: ${err.message}\n`);
    return exitFor('initsock', err);
  }
}

function report(method: string, path: string, res: ClientResponse, io: CliIo): number {
  io.out(res.body);
  if (res.status >= 400) io.err(`initsock request: ${method} ${path} answered ${res.status} ${res.statusMessage}\n`);
  return exitCodeFor(res.status);
}

function setContentType(headers: Record<string, string>, body: string | Buffer): void {
  if ('content-type' in headers) return;
  try {
    JSON.parse(body.toString());
    headers['content-type'] = 'application/json';
  } catch {
    headers['content-type'] = 'application/octet-stream';
  }
}

/** Everything the CLI touches outside itself, injectable for tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(data: string | Buffer): void;
  err(text: string): void;
  /** Reads stdin to the end (empty when it is a terminal); fails with TIMEOUT when it stays open too long. */
  readStdin(timeoutMs: number): Promise<Buffer | undefined>;
}
