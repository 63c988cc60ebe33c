// The --help text of install-service.
import { SERVICE_NAME_MAX } from '../src/contract/index.js';
import { DEFAULT_HOST, DEFAULT_IDLE_TIMEOUT, DEFAULT_NAME, DEFAULT_PORT } from './config.js';

export const HELP = `install-service [install|uninstall|status|print|repair] [options]

Installs a socket-activated worker as a per-user service: systemd --user (Linux) or launchd (macOS) owns the
port from login on and starts the worker on the first connection.

Subcommands:
  install     validate, write the service files, load them, and check GET /health (default)
  uninstall   stop, disable and remove the service; safe to run twice
  status      not installed / listening / running (pid, uptime) / failed (with the fix)
  print       show every file and command install would use; changes nothing
  repair      bring a failed socket back (reset-failed, restart the socket)

Options:
  --name NAME            service name, [A-Za-z0-9._-], at most ${SERVICE_NAME_MAX} (default ${DEFAULT_NAME})
  --port PORT            TCP port (default ${DEFAULT_PORT})
  --host ADDR            listen address, loopback only (default ${DEFAULT_HOST}; ::1 for IPv6)
  --expose-to-network    allow a non-loopback --host (anyone who can reach it can call the worker)
  --no-token             do not require a bearer token: then every local user and process can call the worker's
                         routes (by default a random token in ~/.config/initsock/NAME/token, mode 0600, is required)
  --entry PATH           worker entry script (default: the bundled initsock-worker)
  --app PATH             a module exporting an Express router, app or factory, mounted by the worker
  --node PATH            node binary (default: the real node behind this one, never an nvm/volta/npx path)
  --idle-timeout DUR     exit the worker after this long without requests: 30s, 10min, 0 = never (default ${DEFAULT_IDLE_TIMEOUT})
  --env KEY=VALUE        environment for the worker (repeatable)
  --working-dir PATH     the worker's working directory
  --tasks-max N          cap on the worker's threads and processes (systemd TasksMax=; default 512)
  --memory-max SIZE      cap on the worker's memory, e.g. 512M (systemd MemoryMax=; default 2G)
  --linger               keep your user manager (and the socket) running without a login session
  --takeover             stop whatever else holds the port (SIGTERM, then SIGKILL) and install in its place
  --label LABEL          launchd label (default com.initsock.NAME)
  --init systemd|launchd which init system (default: this machine's); print works for either
  --reset                start from the defaults instead of the installed settings (a re-run keeps every
                         option it is not given; they are recorded in ~/.config/initsock/NAME/service.json)
  --overwrite-edited     replace unit files edited by hand since install-service wrote them (refused otherwise)
  --dry-run              show what install/uninstall/repair would do (as a diff against what is installed), and do nothing
  --json                 machine-readable output
  -h, --help             this text

Exit codes: 0 done, 1 failed (and rolled back), 2 bad usage or input (nothing changed), 3 no usable init system.
`;
