// The README's worker table names every proxy flag with its variable and default, and the peer-check opt-out, as the contract says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import {
  ALLOW_OTHER_USERS_ENV,
  ALLOW_OTHER_USERS_FLAG,
  DEFAULT_HEALTH_PATH,
  DEFAULT_HEALTH_STATUS,
  DEFAULT_READY_TIMEOUT,
  PROXY_OPTION_ENV,
} from '../../src/contract/index.js';
import { HELP } from '../../src/worker/help.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const row = (flag: string): string => readme.split('\n').find((l) => l.startsWith(`| \`--${flag}`)) ?? '';

test("each proxy flag has a README row with its variable, and the defaults are the contract's", () => {
  for (const [flag, env] of Object.entries(PROXY_OPTION_ENV)) {
    assert.ok(row(flag).includes(`\`${env}\``), `README row for --${flag} names ${env}: ${row(flag)}`);
    assert.ok(HELP.includes(`--${flag}`) && HELP.includes(env), `--help lists --${flag} [${env}]`);
  }
  assert.ok(row('proxy-health ').includes(`\`${DEFAULT_HEALTH_PATH}\``));
  assert.ok(row('proxy-health-status').includes(`\`${DEFAULT_HEALTH_STATUS}\``));
  assert.ok(row('proxy-ready-timeout').includes(`\`${DEFAULT_READY_TIMEOUT}\``));
  assert.ok(row(ALLOW_OTHER_USERS_FLAG.slice(2)).includes(`\`${ALLOW_OTHER_USERS_ENV}=1\``));
});
