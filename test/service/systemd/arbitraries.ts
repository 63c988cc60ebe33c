// fast-check arbitraries for the systemd renderer: valid ServiceConfigs full of characters that mean something to systemd.
import fc from 'fast-check';
import type { ServiceConfig } from '../../../src/service/types.js';

// Characters that mean something to systemd, the template or a shell, plus any printable Unicode grapheme.
const special = fc.constantFrom(
  '%',
  '$',
  '"',
  "'",
  '\\',
  ' ',
  ';',
  '{{',
  '}}',
  '=',
  '-',
  '@',
  '#',
  '\u00a0',
  'é',
  '日',
  '😀',
  '%h',
  '$HOME',
  '${X}',
  '\\n',
);
const printable = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
  .filter((c) => !/[\x00-\x1f\x7f/]/.test(c));
const text = (unit: fc.Arbitrary<string>, minLength = 0) => fc.string({ unit, minLength, maxLength: 12 });
export const anyText = text(fc.oneof(special, printable));
const segment = (unit: fc.Arbitrary<string>) => text(unit, 1).filter((s) => s !== '.' && s !== '..');
const absPath = (unit: fc.Arbitrary<string>) =>
  fc.array(segment(unit), { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`);
// The program may not contain quotes, backslashes or $ (systemd refuses them), and a raw path may not end in a space or backslash.
const exeChar = fc.oneof(special, printable).filter((c) => !/["'\\$]/.test(c));
const rawPath = absPath(fc.oneof(special, printable)).filter((p) => !/[ \\]$/.test(p));

export const validConfig: fc.Arbitrary<ServiceConfig> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/),
    host: fc.constantFrom('127.0.0.1', '::1', '[::1]', '0.0.0.0', '::'),
    port: fc.integer({ min: 1, max: 65535 }),
    node: absPath(exeChar),
    entry: absPath(fc.oneof(special, printable)),
    app: fc.option(absPath(fc.oneof(special, printable)), { nil: undefined }),
    idleTimeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 5000, max: 86_400_000 })),
    env: fc.array(
      fc.tuple(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/).filter((k) => !k.startsWith('LISTEN_')),
        anyText,
      ),
      { maxLength: 5 },
    ),
    workingDir: fc.option(rawPath, { nil: undefined }),
    description: fc.option(
      anyText.filter((d) => !/\\ *$/.test(d)),
      { nil: undefined },
    ),
    tokenFile: fc.option(absPath(fc.oneof(special, printable)), { nil: undefined }),
    extraArgs: fc.option(fc.array(anyText, { maxLength: 4 }), { nil: undefined }),
  })
  .map((r) => ({ ...r, label: `com.initsock.${r.name}`, home: '/home/u', uid: 1000 }));
