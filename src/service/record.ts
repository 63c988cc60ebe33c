// The settings record: what install-service installed for one service (its options and the hash of every file it wrote), as versioned JSON beside the token.
import { initKinds } from './probes.js';
import { lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InitsockError } from '../errors.js';
import { assertSafeToRead } from '../security/safe-path.js';
import { tokenPath } from '../security/token.js';
import { crypto } from '../util/builtin.js';
import type { InitKind } from './types.js';

/** The record's format; a reader refuses a newer one rather than guess what its fields mean. */
export const RECORD_FORMAT = 1;

/** One remembered option value, as on the command line (paths absolute): a string, a repeated list, or a switch. */
export type OptionValue = string | string[] | boolean;

/** A file install wrote and the sha256 of the content it wrote; a different hash on disk means it was edited by hand. */
export interface RecordedFile {
  path: string;
  sha256: string;
}

/** What is installed. A new remembered setting is a new key of `options`, not a new field here. */
export interface ServiceRecord {
  format: typeof RECORD_FORMAT;
  name: string;
  init: InitKind;
  /** The initsock version that wrote the record (and rendered the files). */
  version: string;
  /** The options the service was installed with, keyed by the long flag name without "--". */
  options: Record<string, OptionValue>;
  files: RecordedFile[];
}

/** $XDG_CONFIG_HOME/initsock/<name>/service.json: beside the token, in the service's private 0700 folder. */
export function recordPath(name: string, env: NodeJS.ProcessEnv, home: string): string {
  return join(dirname(tokenPath(name, env, home)), 'service.json');
}

export const sha256 = (text: string): string => crypto().createHash('sha256').update(text).digest('hex');

function badRecord(path: string, why: string): InitsockError {
  return new InitsockError(
    'BAD_RECORD',
    `cannot use the settings record ${path}: ${why}. Run install-service again with ` +
      '--reset to reinstall from the defaults and the flags you give (the record is then rewritten).',
    { details: { path } },
  );
}

const isValue = (v: unknown): v is OptionValue =>
  typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** Checks the parsed JSON field by field; anything unexpected is refused, never half-used. */
function validate(path: string, raw: unknown): ServiceRecord {
  const r = raw as Partial<ServiceRecord> | null;
  if (typeof r !== 'object' || r === null) throw badRecord(path, 'it is not a JSON object');
  if (typeof r.format === 'number' && r.format > RECORD_FORMAT) {
    throw badRecord(
      path,
      `it has format ${r.format}, written by a newer initsock than this one (which reads format ${RECORD_FORMAT})`,
    );
  }
  if (r.format !== RECORD_FORMAT)
    throw badRecord(path, `its format ${JSON.stringify(r.format)} is not ${RECORD_FORMAT}`);
  if (typeof r.name !== 'string' || typeof r.version !== 'string' || !(initKinds() as unknown[]).includes(r.init)) {
    throw badRecord(path, 'its name, version or init field is missing or not a string');
  }
  const options = r.options as Record<string, unknown> | undefined;
  if (typeof options !== 'object' || options === null || !Object.values(options).every(isValue)) {
    throw badRecord(path, 'its options are not flag values');
  }
  const files = r.files as unknown;
  if (!Array.isArray(files) || !files.every((f) => typeof f?.path === 'string' && /^[0-9a-f]{64}$/.test(f?.sha256))) {
    throw badRecord(path, 'its file list is not a list of paths with sha256 hashes');
  }
  return {
    format: RECORD_FORMAT,
    name: r.name,
    init: r.init as InitKind,
    version: r.version,
    options: options as Record<string, OptionValue>,
    files,
  };
}

/** The record at `path`, or null when there is none. Throws BAD_RECORD (unreadable, not ours to trust) or UNSAFE_PATH. */
export function readRecordAt(path: string): ServiceRecord | null {
  let text: string;
  try {
    lstatSync(path); // nothing there (or a file where a folder should be): no record, so nothing to trust
  } catch (err) {
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
  assertSafeToRead(path); // whoever could swap the record would choose what a re-run installs
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw badRecord(path, `reading it failed (${(err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRecord(path, 'it is not valid JSON');
  }
  return validate(path, parsed);
}

/** The record of service `name`, or null when install-service has not installed it (or installed it before records existed). */
export function readRecord(name: string, env: NodeJS.ProcessEnv, home: string): ServiceRecord | null {
  return readRecordAt(recordPath(name, env, home));
}

/** The record as written: stable key order, one trailing newline. */
export function serializeRecord(r: ServiceRecord): string {
  const options = Object.fromEntries(
    Object.keys(r.options)
      .sort()
      .map((k) => [k, r.options[k]]),
  );
  return `${JSON.stringify({ format: r.format, name: r.name, init: r.init, version: r.version, options, files: r.files }, null, 2)}\n`;
}

/**
 * Whether `path` is a file initsock wrote for service `name`: the record lists it. A file that exists but is not
 * in the record (or a service without a record) is not known to be ours.
 */
export function recordOwns(record: ServiceRecord | null, path: string): boolean {
  return record !== null && record.files.some((f) => f.path === path);
}

/** The recorded files whose content on disk differs from what install wrote (missing files are not "edited"). */
export function editedFiles(record: ServiceRecord | null, current: (path: string) => string | null): string[] {
  if (record === null) return [];
  return record.files
    .filter((f) => {
      const text = current(f.path);
      return text !== null && sha256(text) !== f.sha256;
    })
    .map((f) => f.path);
}
