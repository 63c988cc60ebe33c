// Job keys: any non-empty string, mapped to a stable id that is safe as a file name and a systemd unit name.
import { InitsockError } from '../errors.js';
import { crypto } from '../util/builtin.js';

/** Keys longer than this are refused: a key names a job, it is not a place for data. */
export const MAX_KEY_LENGTH = 4096;

/** Throws BAD_USAGE for an empty key, one with NUL, or one longer than MAX_KEY_LENGTH. */
export function checkKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new InitsockError(
      'BAD_USAGE',
      'the job key is empty. Pass --key with a string that names the job, ' +
        'e.g. --key "mine:$PWD" (one run at a time per key).',
    );
  }
  if (key.includes('\0'))
    throw new InitsockError('BAD_USAGE', 'the job key contains a NUL byte. Pass a key without one.');
  if (key.length > MAX_KEY_LENGTH) {
    throw new InitsockError(
      'BAD_USAGE',
      `the job key is ${key.length} characters long. Use at most ${MAX_KEY_LENGTH}, ` + 'e.g. a hash of the long part.',
    );
  }
  return key;
}

/**
 * A readable, collision-free id: up to 32 safe characters of the key, then 16 hex digits of its SHA-256.
 * Two keys that share the readable part (e.g. "a/b" and "a:b") still differ in the hash.
 */
export function jobId(key: string): string {
  const slug = key
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .slice(0, 32);
  const hash = crypto().createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
  return slug ? `${slug}-${hash}` : hash;
}

/** The transient systemd unit of a job: initsock-job-<id>.service (at most 67 characters, only [A-Za-z0-9_.-]). */
export function jobUnit(id: string): string {
  return `${jobIdentifier(id)}.service`;
}

/** The journal identifier of a job's output: its unit name without ".service". */
export function jobIdentifier(id: string): string {
  return `initsock-job-${id}`;
}
