#!/usr/bin/env node
// The `initsock` command: `initsock request ...` sends one HTTP request to the local worker (see --help).
import { EXIT, REQUEST_HELP, runRequest } from '../client/cli.js';
import { packageVersion } from '../worker/health.js';

const HELP = `Usage: initsock <command> [options]

Commands:
  request [options] METHOD PATH   send one HTTP request to the local worker, starting it if needed
  job run|list|logs|stop          keyed singleton jobs: one run per key, triggers coalesced into one follow-up
  --version                       print the version of initsock

Run \`initsock request --help\` for the options and exit codes.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'request') return runRequest(rest);
  if (command === 'job') return (await import('../jobs/cli.js')).runJobCli(rest);
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(command === 'help' && rest[0] === 'request' ? REQUEST_HELP : HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  process.stderr.write(`initsock: unknown command ${JSON.stringify(command)}. Run \`initsock --help\`.\n`);
  return EXIT.usage;
}

// Exit as soon as the output is flushed: a hook must not wait on anything, and the worker is not our child.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `initsock: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.internal;
  },
);
