// Shared launchd test inputs: a plain ServiceConfig, a hostile one, and a SystemContext for a fake Mac home.
import type { ServiceConfig, SystemContext } from '../../../src/service/types.js';
import type { CommandRunner } from '../../../src/exec/runner.js';

export const HOME = '/Users/alice';

export function baseConfig(over: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name: 'initsock-worker',
    label: 'com.initsock.initsock-worker',
    host: '127.0.0.1',
    port: 37777,
    node: '/opt/homebrew/bin/node',
    entry: '/opt/homebrew/lib/node_modules/initsock/dist/src/bin/worker.js',
    idleTimeoutMs: 600_000,
    env: [],
    home: HOME,
    uid: 501,
    ...over,
  };
}

/** Every value a user can influence, made as hostile as the plist allows (<, &, ]]>, quotes, non-ASCII, spaces). */
export function hostileConfig(): ServiceConfig {
  return baseConfig({
    name: 'we<ird&name',
    label: 'com.example.hostile_label-1',
    node: '/Users/alice/.nvm/versions/node/v20 "LTS"/bin/node',
    entry: '/Users/alice/My Projects/a<b>&c/]]>/worker.js',
    app: '/Users/alice/Développement/app\'s "routes" ✓.mjs',
    idleTimeoutMs: 10_000,
    workingDir: '/Users/alice/dir with  spaces/ and trailing ',
    env: [
      ['GREETING', 'héllo wörld ✓ 😀 日本語'],
      ['MARKUP', '<script>alert("x")</script> & &amp; &#38;'],
      ['CDATA', ']]> <![CDATA[ x ]]> <!-- not a comment -->'],
      ['QUOTES', `"double" 'single' \`back\``],
      ['SPACES', '  leading and trailing  '],
      ['EMPTY', ''],
      ['PATH', '/custom bin:/usr/bin'],
    ],
  });
}

export function context(run: CommandRunner, over: Partial<SystemContext> = {}): SystemContext {
  return { run, env: { PATH: '/opt/homebrew/bin:/usr/bin:/bin' }, uid: 501, home: HOME, ...over };
}

/** A runner for pure rendering: any command is a test failure. */
export const noCommands: CommandRunner = (argv) => {
  throw new Error(`unexpected command: ${argv.join(' ')}`);
};
