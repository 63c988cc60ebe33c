// The ServiceConfigs the systemd golden, verify and parse-back tests share: a default one and hostile ones.
import type { ServiceConfig } from '../../../src/service/types.js';

const base: ServiceConfig = {
  name: 'initsock-worker',
  label: 'com.initsock.initsock-worker',
  host: '127.0.0.1',
  port: 37777,
  node: '/usr/bin/node',
  entry: '/usr/lib/node_modules/initsock/dist/src/bin/worker.js',
  idleTimeoutMs: 30 * 60_000,
  env: [],
  home: '/home/user',
  uid: 1000,
};

/** Case name → config. The golden files are test/golden/systemd/<case>.socket and <case>.service. */
export const cases: Record<string, ServiceConfig> = {
  // What `install-service` renders with no options.
  default: base,

  // Every character that means something to systemd, in every field that takes free input.
  hostile: {
    ...base,
    name: 'my.worker_2-x',
    host: '::1',
    port: 40123,
    node: '/opt/my tools/nöde %h/bin/node', // space, %, non-ASCII (no quote, backslash or $: systemd refuses those in the program)
    entry: '/home/o\'neil/my app/%h/$HOME/"quoted"/back\\slash/worker.js',
    app: '/home/user/app dir/ünïcødé 😀/$USER %i.js',
    idleTimeoutMs: 5 * 60_000,
    env: [
      ['HOME_REF', '$HOME'], // stays literally "$HOME": Environment= does not expand $
      ['BRACED', '${HOME} $$'], // so does ${...} and a doubled $
      ['SPEC', '%h and %% and %'], // specifiers must not expand
      ['QUOTES', 'say "hi", it\'s'], // both quote kinds
      ['BACKSLASH', 'C:\\path\\'], // a trailing backslash must not join the next line
      ['EMPTY', ''], // an empty value is still set
      ['SPACES', '  lead and trail  '], // surrounding spaces survive (quoted)
      ['EQUALS', 'a=b=c'], // only the first = splits the key
      ['SEMI', ';'], // a lone semicolon is not a command separator here
      ['UNICODE', 'héllo wörld ✓ 😀'], // UTF-8 is written as is
      ['TEMPLATE', '{{notAPlaceholder}}'], // template syntax in a value is just text
      ['HOME_REF', 'second'], // a repeated key: the later one wins in systemd; we keep both lines in order
    ],
    workingDir: '/home/user/work dir/%n/$X/ü',
    description: 'Worker for 100% of "things" by $USER \\ ünï',
    tokenFile: '/home/user/.config/initsock/my.worker_2-x/token',
    shutdownTimeoutMs: 2500,
    restartDelayMs: 500,
    extraArgs: ['--log-level', 'debug', '', ';', '\\;', '-', '@x', '$', '%', '"', "'", '\\'],
  },

  // Tuned resources, no idle exit, IPv4 on another port.
  tuned: {
    ...base,
    name: 'tuned',
    port: 1,
    idleTimeoutMs: 0,
    tasksMax: '10%',
    memoryMax: 'infinity',
    backlog: 128,
    shutdownTimeoutMs: 0,
    env: [['NODE_OPTIONS', '--max-old-space-size=256 --enable-source-maps']],
  },
};
