// Reads the bearer token the worker requires (--token-file): one line, no spaces.
import { readFileSync } from 'node:fs';
import { InitsockError } from '../errors.js';

/** Returns the token in `path`. Throws BAD_TOKEN_FILE when it cannot be read or is empty or malformed. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InitsockError('BAD_TOKEN_FILE', `cannot read --token-file ${path}: ${(err as Error).message}. ` +
      'Reinstall the service (install-service) to recreate it, or fix the path.', { cause: err });
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) {
    throw new InitsockError('BAD_TOKEN_FILE', `--token-file ${path} is ${token === '' ? 'empty' : 'not a single token'}. ` +
      'Write one token on one line (install-service creates it for you).');
  }
  return token;
}
