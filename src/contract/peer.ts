// The workers' opt-outs: the peer-owner check's (every worker entry reads it) and the proxy's web-page check's, as flags and variables.

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

/**
 * In proxy mode every request and upgrade must carry a loopback Host with the served port (or an --allow-host
 * name) and no foreign Origin, as serve()'s guard requires. This flag, or the variable set to 1, turns that off.
 */
export const ALLOW_WEB_PAGES_FLAG = '--allow-web-pages';
export const ALLOW_WEB_PAGES_ENV = 'INITSOCK_ALLOW_WEB_PAGES';
