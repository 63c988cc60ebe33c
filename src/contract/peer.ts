// The accept-time peer-owner check's opt-out: the flag and variable every worker entry (serve(), the default worker, the proxy) reads.

/**
 * By default a worker refuses connections whose peer socket belongs to another user (root excepted; Linux, where
 * the owner can be looked up). This flag, or the variable set to 1, turns the check off.
 */
export const ALLOW_OTHER_USERS_FLAG = '--allow-other-users';
export const ALLOW_OTHER_USERS_ENV = 'INITSOCK_ALLOW_OTHER_USERS';

/** True when `argv` or `env` opts out of the peer-owner check. */
export function allowsOtherUsers(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes(ALLOW_OTHER_USERS_FLAG) || env[ALLOW_OTHER_USERS_ENV] === '1';
}
