// Table tests for the systemd escaping module: each row says what systemd would do with the value and why we write it so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInitsockError, type ErrorCode } from '../../src/errors.js';
import {
  assertEnvKey,
  assertName,
  escapeEnvAssignment,
  escapeExecArg,
  escapeExecutable,
  escapeRawPath,
  escapeText,
  listenAddress,
} from '../../src/render/systemd-escape.js';
import { environment, execArgv, rawValue } from './unit-parser.js';

function refused(fn: () => unknown, code: ErrorCode, ...fragments: RegExp[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isInitsockError(err, code), `expected ${code}, got ${String(err)}`);
    for (const f of fragments) assert.match(err.message, f);
    return true;
  });
}

// [input, expected ExecStart word]
const execArgs: Array<[string, string]> = [
  ['plain', '"plain"'], // every word is quoted, even when it need not be
  ['a b', '"a b"'], // a space would split the word
  ['%h', '"%%h"'], // %h is the home-directory specifier
  ['100%', '"100%%"'], // a lone % too
  ['$HOME', '"$$HOME"'], // $HOME would be replaced by the variable at exec time
  ['${HOME}', '"$${HOME}"'], // and so would ${HOME}
  ['$$', '"$$$$"'], // each $ doubles
  ['say "hi"', '"say \\"hi\\""'], // a double quote would end the quoted word
  ["it's", '"it\'s"'], // a single quote is literal inside double quotes
  ['back\\slash', '"back\\\\slash"'], // a backslash starts a C escape
  ['trailing\\', '"trailing\\\\"'], // a trailing backslash must not escape the closing quote
  ['\\;', '"\\\\;"'], // \; would be a literal-semicolon token if unquoted
  [';', '";"'], // a lone ; would separate two commands if unquoted
  ['', '""'], // an empty argument is kept as an empty word
  ['-x', '"-x"'], // a leading - is only a prefix on the executable, and quoting keeps it literal anyway
  ['héllo wörld', '"héllo wörld"'], // Latin-1 range non-ASCII: UTF-8 as is
  ['日本語', '"日本語"'], // CJK: UTF-8 as is
  ['😀 emoji', '"😀 emoji"'], // astral plane (a surrogate pair in JS): UTF-8 as is
  ['\u00a0nbsp', '"\u00a0nbsp"'], // a non-ASCII space is not systemd whitespace, and it is quoted anyway
  ['{{x}}', '"{{x}}"'], // template syntax is only text here
];

test('ExecStart arguments: quoted, \\ and " escaped, then % → %% and $ → $$; each parses back to the input', () => {
  for (const [input, expected] of execArgs) {
    const word = escapeExecArg(input, 'arg');
    assert.equal(word, expected, `escaping ${JSON.stringify(input)}`);
    assert.deepEqual(execArgv(word), [input], `parsing back ${word}`);
  }
});

// [key, value, expected Environment= value]
const envRows: Array<[string, string, string]> = [
  ['A', 'plain', '"A=plain"'], // the whole assignment is quoted
  ['A', 'two words', '"A=two words"'], // a space would split it into two assignments
  ['A', '$HOME', '"A=$HOME"'], // Environment= gives $ no meaning: it is NOT doubled
  ['A', '%h', '"A=%%h"'], // but it does expand specifiers
  ['A', 'q"uote', '"A=q\\"uote"'], // a double quote would end the quoted assignment
  ['A', 'c:\\dir\\', '"A=c:\\\\dir\\\\"'], // backslashes start C escapes
  ['A', '', '"A="'], // an empty value is still an assignment
  ['A', 'x=y', '"A=x=y"'], // only the first = splits
  ['A', 'ünï 😀', '"A=ünï 😀"'], // non-ASCII as UTF-8
  ['_k9', 'v', '"_k9=v"'], // a name may start with _ and hold digits
];

test('Environment= values: "KEY=value" quoted with % doubled and $ left alone; each parses back', () => {
  for (const [key, val, expected] of envRows) {
    const line = escapeEnvAssignment(key, val, '--env');
    assert.equal(line, expected, `escaping ${key}=${JSON.stringify(val)}`);
    assert.deepEqual(environment([line]), [[key, val]], `parsing back ${line}`);
  }
});

test('the executable: quoted with % doubled; quotes, backslashes, $ and relative or unnormalized paths are refused', () => {
  assert.equal(escapeExecutable('/opt/my tools/nöde %h/node', '--node'), '"/opt/my tools/nöde %%h/node"');
  for (const bad of ['/a"b/node', "/a'b/node", '/a\\b/node', '/a$b/node'])
    refused(() => escapeExecutable(bad, '--node'), 'UNSAFE_VALUE', /--node/);
  for (const bad of ['node', './node', '/a/../node', '/a//node', '/a/./node', '/a/node/', ''])
    refused(() => escapeExecutable(bad, '--node'), 'INVALID_VALUE', /normalized absolute path/);
});

test('free text (Description=): % doubled, nothing else changes; a trailing backslash is refused', () => {
  assert.equal(escapeText('100% "done" $USER \\ ü', 'description'), '100%% "done" $USER \\ ü');
  assert.equal(rawValue(escapeText('100% "done"', 'description')), '100% "done"');
  assert.equal(escapeText('  padded  ', 'description'), 'padded'); // systemd strips it anyway
  refused(() => escapeText('ends with \\', 'description'), 'UNSAFE_VALUE', /continue on the next line/);
});

test('raw paths (WorkingDirectory=): % doubled; trailing space or backslash refused', () => {
  assert.equal(escapeRawPath('/home/u/a b/%n/$X', '--working-dir'), '/home/u/a b/%%n/$X');
  refused(() => escapeRawPath('/home/u/dir ', '--working-dir'), 'UNSAFE_VALUE', /--working-dir/);
  refused(() => escapeRawPath('/home/u/dir\\', '--working-dir'), 'UNSAFE_VALUE', /--working-dir/);
  refused(() => escapeRawPath('relative/dir', '--working-dir'), 'INVALID_VALUE', /normalized absolute path/);
});

test('a newline, carriage return or NUL anywhere is UNSAFE_VALUE naming the field and value: "Pass a single-line value."', () => {
  const calls: Array<[string, (v: string) => unknown]> = [
    ['arg', (v) => escapeExecArg(v, 'arg')],
    ['--node', (v) => escapeExecutable(`/usr/bin/${v}`, '--node')],
    ['--env X', (v) => escapeEnvAssignment('X', v, '--env')],
    ['description', (v) => escapeText(v, 'description')],
    ['--working-dir', (v) => escapeRawPath(`/w/${v}`, '--working-dir')],
    ['--name', (v) => assertName(v, '--name')],
    ['--host', (v) => listenAddress(v, 1)],
  ];
  for (const [field, call] of calls) {
    for (const bad of ['a\nExecStartPre=/bin/rm', 'a\rb', 'a\0b', '\n']) {
      refused(
        () => call(bad),
        'UNSAFE_VALUE',
        new RegExp(field.replace(/[-]/g, '\\-')),
        /Pass a single-line value\./,
        /\\[nr0u]/,
      );
    }
  }
});

test('other control characters and broken Unicode are refused too', () => {
  refused(() => escapeExecArg('tab\there', 'arg'), 'UNSAFE_VALUE', /control character/);
  refused(() => escapeExecArg('esc\x1b[31m', 'arg'), 'UNSAFE_VALUE', /control character/);
  refused(() => escapeExecArg('del\x7f', 'arg'), 'UNSAFE_VALUE', /control character/);
  refused(() => escapeEnvAssignment('A', 'lone \ud800 surrogate', '--env'), 'UNSAFE_VALUE', /lone surrogate/);
});

test('names: [A-Za-z0-9._-], not starting with . or -', () => {
  for (const ok of ['initsock-worker', 'a', 'my.worker_2-x', '_x', '9lives'])
    assert.equal(assertName(ok, '--name'), ok);
  for (const bad of ['', 'a b', 'a/b', '-x', '.x', 'x@y', 'ü', 'a:b', 'a%b', 'x'.repeat(201)])
    refused(() => assertName(bad, '--name'), 'INVALID_VALUE', /--name/);
});

test('env keys: letters, digits and _, not starting with a digit; LISTEN_* is reserved for systemd', () => {
  for (const ok of ['A', '_', 'NODE_OPTIONS', 'a1']) assert.equal(assertEnvKey(ok, '--env'), ok);
  for (const bad of ['', '1A', 'A-B', 'A=B', 'A B', 'É', 'LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES'])
    refused(() => assertEnvKey(bad, '--env'), 'INVALID_VALUE');
});

test('ListenStream=: IPv4 as is, IPv6 in brackets; host names, zones and bad ports refused', () => {
  assert.equal(listenAddress('127.0.0.1', 37777), '127.0.0.1:37777');
  assert.equal(listenAddress('::1', 37777), '[::1]:37777');
  assert.equal(listenAddress('[::1]', 80), '[::1]:80');
  for (const bad of ['localhost', '', 'fe80::1%eth0', '127.0.0.1:80', '[127.0.0.1]x'])
    refused(() => listenAddress(bad, 1), 'INVALID_VALUE', /--host/);
  for (const port of [0, 65536, 1.5, -1, NaN])
    refused(() => listenAddress('127.0.0.1', port), 'INVALID_VALUE', /--port/);
});

test('a very long value is cut in the error message but refused whole', () => {
  refused(() => escapeExecArg(`${'x'.repeat(5000)}\n`, 'arg'), 'UNSAFE_VALUE', /^arg "x{80}…" contains a newline/);
});
