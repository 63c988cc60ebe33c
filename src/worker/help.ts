// The default worker's --help text.
import {
  DEFAULT_HEALTH_PATH,
  DEFAULT_HEALTH_STATUS,
  DEFAULT_READY_TIMEOUT,
  PROXY_OPTION_ENV as E,
} from '../contract/proxy.js';
import { ALLOW_OTHER_USERS_ENV, ALLOW_WEB_PAGES_ENV } from '../contract/peer.js';

export const HELP = `initsock-worker: serve /health (and an --app module) on the socket the init system hands over.

Usage: initsock-worker [options]
       initsock-worker [options] --proxy-port N [proxy options] -- CMD ARG...

Each option can also be set in the environment (shown in brackets); a flag wins over the environment.
  --listen HOST:PORT        bind this address yourself, for development only [INITSOCK_LISTEN]
                            (without it the worker must be socket-activated, or it exits 78)
  --expose-to-network       allow a non-loopback --listen host
  --idle-timeout DUR        exit after this long with no connection; 0 = never (default 0) [INITSOCK_IDLE_TIMEOUT]
  --shutdown-timeout DUR    how long SIGTERM waits for requests in flight (default 10s) [INITSOCK_SHUTDOWN_TIMEOUT]
  --app PATH                a module exporting an Express router, app or factory [INITSOCK_APP]
  --name NAME               service name for logs and /health (default initsock-worker) [INITSOCK_NAME]
  --socket-name NAME        the launchd Sockets key (default Listeners) [INITSOCK_SOCKET_NAME]
  --log-file PATH           log to this file, timestamped and size-limited [INITSOCK_LOG_FILE]
  --log-level LEVEL         error, warn, info, http, verbose, debug or silly (default info) [INITSOCK_LOG_LEVEL]
  --token-file PATH         require "Authorization: Bearer <token>" except on /health [INITSOCK_TOKEN_FILE]
  --allow-host LIST         extra Host names the worker answers, comma-separated (e.g. myhost.lan:37777) [INITSOCK_ALLOW_HOSTS]
  --allow-origin LIST       extra browser Origins allowed, comma-separated (e.g. http://localhost:5173) [INITSOCK_ALLOW_ORIGINS]
Proxy mode: the worker keeps the socket, runs CMD ARG... as its child (which listens on 127.0.0.1:N), waits for its
health route, then forwards every request to it (SSE and WebSocket upgrades included). It exits 1 when CMD
exits, and stops CMD on idle exit. It cannot run --app or check --token-file.
  --proxy-port N            the port CMD listens on [${E['proxy-port']}]
  --proxy-health PATH       the route polled until CMD is ready (default ${DEFAULT_HEALTH_PATH}) [${E['proxy-health']}]
  --proxy-health-status L   statuses that count as healthy, e.g. 200,204 or 200-399 (default ${DEFAULT_HEALTH_STATUS}) [${E['proxy-health-status']}]
  --proxy-ready-timeout DUR how long CMD gets to become healthy; 0 = no limit (default ${DEFAULT_READY_TIMEOUT}) [${E['proxy-ready-timeout']}]
  --proxy-idle-path PATH    CMD's own idle signal: at idle timeout, exit only if this route answers a healthy status [${E['proxy-idle-path']}]
  --allow-web-pages         pass every request to CMD whatever its Host and Origin; by default a request or WebSocket
                            upgrade naming another host (DNS rebinding) gets 400/403, one from another site's page
                            (Origin, Sec-Fetch-Site) 403, before CMD sees it; --allow-host/--allow-origin add names [${ALLOW_WEB_PAGES_ENV}=1]

  --allow-other-users       accept connections from other users' processes; by default (Linux) they are refused at
                            accept time, root excepted [${ALLOW_OTHER_USERS_ENV}=1]
  -h, --help                show this help
  --version                 print the version

DUR is a number with a unit: 500ms, 30s, 10min, 1h (a bare number is seconds).
Exit status: 0 after idle exit or a signal, 78 when not activated or misconfigured, 1 on a crash.
`;
