// Detects `sudo install-service`: root acting for another user, whose per-user services root cannot install.
import type { SystemContext } from './types.js';

/** The user sudo was run by when this is root under sudo for someone else, else null. */
export function sudoForAnotherUser(ctx: Pick<SystemContext, 'uid' | 'env'>): string | null {
  const sudoUser = ctx.env.SUDO_USER;
  return ctx.uid === 0 && sudoUser && sudoUser !== 'root' ? sudoUser : null;
}
