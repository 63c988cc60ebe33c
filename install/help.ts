// The --help text of install-service.
import { initKinds, initProbes } from '../src/service/probes.js';
import { SERVICE_NAME_MAX } from '../src/contract/index.js';
import { MAX_TIMER_MS } from '../src/util/duration.js';
import { DEFAULT_HEALTH_PATH, DEFAULT_HEALTH_STATUS } from '../src/service/health-check.js';
import { DEFAULT_HOST, DEFAULT_IDLE_TIMEOUT, DEFAULT_NAME, DEFAULT_PORT } from './config.js';

export const HELP = `install-service [install|uninstall|status|print|repair|restart|list|logs] [options] [MODE -- CMD ARG…]

Installs a socket-activated worker as a per-user service: ${initProbes()
  .map((p) => p.title)
  .join(' or ')} owns the
port from login on and starts the worker on the first connection.

Subcommands:
  install     validate, write the service files, load them, and check the health route (default)
  uninstall   stop, disable and remove the service; safe to run twice
  status      not installed / listening / running (pid, uptime) / failed (with the fix)
  print       show every file and command install would use; changes nothing
  repair      bring a failed socket back (reset-failed, restart the socket)
  restart     replace the running worker; the socket keeps queueing connections, so none is refused
  list        every initsock service of this user: state, address, pid, version (--json too)
  logs        the service's log (its init system's journal or log folder; without a service: the fallback
              worker's log); -f follows it, -n LINES (default 50)

Options:
  --name NAME            service name, [A-Za-z0-9._-], at most ${SERVICE_NAME_MAX} (default ${DEFAULT_NAME})
  --port PORT            TCP port (default ${DEFAULT_PORT})
  --host ADDR            listen address, loopback only (default ${DEFAULT_HOST}; ::1 for IPv6)
  --expose-to-network    allow a non-loopback --host (anyone who can reach it can call the worker)
  --no-token             do not require a bearer token: then every local user and process can call the worker's
                         routes (by default a random token in ~/.config/initsock/NAME/token, mode 0600, is required)
  --entry PATH           worker entry script (default: the bundled initsock-worker)
  --app PATH             a module exporting an Express router, app or factory, mounted by the worker
  --node PATH            node binary, or a name found on PATH (default: the real node behind this one, never an
                         nvm/volta/npx path); bun runs the worker only with --proxy-port
  --idle-timeout DUR     exit the worker after this long without requests: 30s, 10min, 0 = never (default ${DEFAULT_IDLE_TIMEOUT};
                         at most Node's timer limit, ${Math.floor(MAX_TIMER_MS / 3_600_000)}h)
  --env KEY=VALUE        environment for the worker (repeatable)
  --working-dir PATH     the worker's working directory
  --tasks-max N          cap on the worker's threads and processes (systemd TasksMax=; default 512)
  --memory-max SIZE      cap on the worker's memory, e.g. 512M (systemd MemoryMax=; default 2G)
  --linger               keep your user manager (and the socket) running without a login session
  --takeover             stop whatever else holds the port (SIGTERM, then SIGKILL) and install in its place
  --label LABEL          launchd label (default com.initsock.NAME)
  --init ${initKinds().join('|').padEnd(15)} which init system (default: this machine's); print works for either
  --reset                start from the defaults instead of the installed settings (a re-run keeps every
                         option it is not given; they are recorded in ~/.config/initsock/NAME/service.json)
  --overwrite-edited     replace unit files edited by hand since install-service wrote them (refused otherwise)
  --dry-run              show what install/uninstall/repair would do (as a diff against what is installed), and do nothing
  --json                 machine-readable output
  -f, --follow           logs: keep printing new lines
  -n, --lines N          logs: how many lines to show first (default 50)
  --version              the version of initsock
  -h, --help             this text

Running another program (MODE, then its command after --; CMD is found on PATH and written as an absolute path):
  --exec -- CMD ARG…     run exactly CMD ARG…, for programs that take the inherited socket themselves (LISTEN_FDS,
                         uvicorn --fd 3, node listen({fd: 3})); no token: the program's own routes are unprotected
  --adopt -- CMD ARG…    the same, plus initsock's preload for its runtime (node, bun or python, told from CMD or its
                         #! line), so a program that calls listen(PORT) itself takes the socket; no token either
  --proxy-port N -- CMD ARG…
                         initsock's worker owns the socket, runs CMD as its child listening on 127.0.0.1:N, waits for
                         its health route, then passes every connection through
  --proxy-idle-path PATH with --proxy-port: before an idle exit, ask the program this route; an answer in
                         --health-status means it is idle too (it may still be working after the last connection)
  --health-path PATH     the program's health route, for install's check and status (default ${DEFAULT_HEALTH_PATH})
  --health-status LIST   the statuses it may answer: 200, 200,204, 200-299,304 (default ${DEFAULT_HEALTH_STATUS})

Exit codes: 0 done, 1 failed or interrupted (and rolled back), 2 bad usage or input (nothing changed), 3 no usable
init system, 130 a second interrupt (quit at once).
status exits 0 when listening or running, 1 when failed, stopped or its token is missing or unusable (the fix is
printed), 4 when not installed (or the name is not an initsock service); logs exits 4 when there is no log.
`;
