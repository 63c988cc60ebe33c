// Renders the fact table of docs/contracts.md from src/contract/, so the page can only say what the code says.
import * as c from '../../src/contract/index.js';

const code = (s: string | number): string => `\`${String(s)}\``;

/** [fact, value, the export that holds it] rows, in the page's order. */
function rows(): Array<[string, string, string]> {
  return [
    ['Service name', `${c.SERVICE_NAME_RULE}: ${code(c.SERVICE_NAME_PATTERN.source)}`, 'SERVICE_NAME_PATTERN'],
    ['Default service name', code(c.DEFAULT_SERVICE_NAME), 'DEFAULT_SERVICE_NAME'],
    ['launchd label', `${c.LABEL_RULE}; default ${code(c.defaultLabel('NAME'))}`, 'isLabel, defaultLabel'],
    ['launchd Sockets key', code(c.LAUNCHD_SOCKET_KEY), 'LAUNCHD_SOCKET_KEY'],
    ['Default address', code(`${c.DEFAULT_HOST}:${c.DEFAULT_PORT}`), 'DEFAULT_HOST, DEFAULT_PORT'],
    ['Health route', `GET or HEAD ${code(c.HEALTH_PATH)}, any query string`, 'HEALTH_PATH, isHealthRequest'],
    ['Health body (200, JSON)', c.HEALTH_FIELDS.map(code).join(', '), 'HealthBody, HEALTH_FIELDS'],
    [
      'Activation variables',
      [c.LISTEN_PID, c.LISTEN_FDS, c.LISTEN_FDNAMES].map(code).join(', ') +
        `; first fd ${c.LISTEN_FDS_START}; handoff marker ${code(c.ACTIVATION_MARKER)}`,
      'LISTEN_*, ACTIVATION_MARKER',
    ],
    [
      'Log levels',
      `${c.LOG_LEVELS.map(code).join(', ')}; default ${code(c.DEFAULT_LOG_LEVEL)}`,
      'LOG_LEVELS, DEFAULT_LOG_LEVEL',
    ],
    [
      'Drain (--shutdown-timeout)',
      `${c.DEFAULT_DRAIN_MS} ms by default, at most ${c.MAX_DRAIN_MS} ms`,
      'DEFAULT_DRAIN_MS, MAX_DRAIN_MS',
    ],
    [
      'Keep-alive quiet period',
      `an idle keep-alive connection is closed after ${c.KEEPALIVE_QUIET_MS} ms without a request, within the drain`,
      'KEEPALIVE_QUIET_MS',
    ],
    [
      'Child grace',
      `${c.CHILD_GRACE_MS} ms from SIGTERM to SIGKILL of owned children and descendants`,
      'CHILD_GRACE_MS',
    ],
    [
      'Log flush',
      `at most ${c.LOG_FLUSH_MS} ms (${c.URGENT_FLUSH_MS} ms after a second SIGTERM/SIGINT)`,
      'LOG_FLUSH_MS, URGENT_FLUSH_MS',
    ],
    [
      'Shutdown budget',
      `drain + child grace + log flush = ${c.shutdownBudgetMs()} ms by default`,
      'shutdownBudgetMs, shutdownBudget',
    ],
    [
      'Stop timeout (TimeoutStopSec=, ExitTimeOut)',
      `budget + ${c.EXIT_SLACK_MS} ms exit slack = ${c.stopTimeoutMs()} ms ` +
        `(${c.stopTimeoutSeconds()} s) by default`,
      'stopTimeoutMs, stopTimeoutSeconds',
    ],
    ['--tasks-max', `${c.TASKS_MAX_HINT}; default ${code(c.DEFAULT_TASKS_MAX)}`, 'TASKS_MAX_PATTERN'],
    ['--memory-max', `${c.MEMORY_MAX_HINT}; default ${code(c.DEFAULT_MEMORY_MAX)}`, 'MEMORY_MAX_PATTERN'],
    [
      'Proxy worker flags (--proxy-port N -- CMD ARG...)',
      Object.entries(c.PROXY_OPTION_ENV)
        .map(([f, e]) => `${code(`--${f}`)} (${code(e)})`)
        .join(', '),
      'PROXY_OPTION_ENV',
    ],
    [
      'Proxy defaults',
      `child on ${code(c.PROXY_UPSTREAM_HOST)}; health ${code(c.DEFAULT_HEALTH_PATH)}, statuses ${code(c.DEFAULT_HEALTH_STATUS)}, ` +
        `ready within ${code(c.DEFAULT_READY_TIMEOUT)}; exit ${c.CHILD_DIED_EXIT} when the child exits`,
      'DEFAULT_HEALTH_PATH, DEFAULT_HEALTH_STATUS, DEFAULT_READY_TIMEOUT, CHILD_DIED_EXIT',
    ],
  ];
}

export const BEGIN = '<!-- facts: generated from src/contract/ by test/contract/contract-doc.ts -->';
export const END = '<!-- end of facts -->';

/** The generated block, markers included. */
export function factTable(): string {
  const lines = [
    '| Fact | Value | Export |',
    '| --- | --- | --- |',
    ...rows().map(([fact, value, name]) => `| ${fact} | ${value.replaceAll('|', '\\|')} | ${code(name)} |`),
  ];
  return [BEGIN, ...lines, END].join('\n');
}
