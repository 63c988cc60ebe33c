// The message helpers: an invalid value names the flag, echoes the value and says what to pass; a failed command can be pasted back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { commandFailed, describeFailure, invalidValue, quoteCommand } from '../../src/error-messages.js';

test('invalidValue: "--flag \\"value\\" why. fix", INVALID_VALUE unless told UNSAFE_VALUE, with the option and value as details', () => {
  const err = invalidValue('--port', '80a', 'is not a TCP port', 'Pass a whole number from 1 to 65535.');
  assert.equal(err.message, '--port "80a" is not a TCP port. Pass a whole number from 1 to 65535.');
  assert.equal(err.code, 'INVALID_VALUE');
  assert.deepEqual(err.details, { option: '--port', value: '80a' });
  assert.equal(
    invalidValue('--env X', 'a\nb', 'has a newline', 'Pass one line.', 'UNSAFE_VALUE').message,
    '--env X "a\\nb" has a newline. Pass one line.',
  );
  assert.match(
    invalidValue('--name', 'x'.repeat(500), 'is too long', 'Shorten it.').message,
    /^--name "x{80}…" is too long/,
  );
});

test('a failed command is quoted so that pasting it into a shell runs the same argv', () => {
  const argv = ['printf', '%s|', "it's", 'two words', '$HOME', '`id`', ''];
  const quoted = quoteCommand(argv);
  assert.equal(
    execFileSync('/bin/sh', ['-c', quoted], { encoding: 'utf8' }),
    execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' }),
  );
  const result = {
    argv: ['systemctl', '--user', 'start', 'my worker.service'],
    code: 5,
    stdout: '',
    stderr: 'Unit not found.\n',
  };
  assert.equal(describeFailure(result), "`systemctl --user start 'my worker.service'` exited with 5: Unit not found.");
  const err = commandFailed(result, 'Fix the cause and run install-service again.');
  assert.equal(err.code, 'COMMAND_FAILED');
  assert.equal(
    err.message,
    "`systemctl --user start 'my worker.service'` exited with 5: Unit not found. Fix the cause and run install-service again.",
  );
  assert.deepEqual(err.details, { argv: result.argv, exitCode: 5, stderr: 'Unit not found.' });
});
