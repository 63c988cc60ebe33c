// Values of the flags every worker entry reads (the default worker and serve()): one parser each, one message each.
import { isServiceName, SERVICE_NAME_RULE } from '../contract/index.js';
import { InitsockError } from '../errors.js';

function bad(message: string): InitsockError {
  return new InitsockError('INVALID_VALUE', message);
}

/** A comma-separated list ("a.lan,b.lan:8080"); entries are trimmed, and may not hold spaces or control characters. */
export function parseFlagList(what: string, value: string | undefined): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const badItem = items.find((s) => /[\s\x00-\x1f\x7f]/.test(s));
  if (badItem !== undefined)
    throw bad(
      `${what} entry ${JSON.stringify(badItem)} has a space or control character. Separate entries with commas.`,
    );
  return items;
}

/** A service or socket name under the contract's one name rule. */
export function checkFlagName(what: string, value: string): string {
  if (!isServiceName(value))
    throw bad(`${what} ${JSON.stringify(value)} is not a valid name. Use ${SERVICE_NAME_RULE}.`);
  return value;
}
