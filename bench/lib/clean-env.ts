// The environment every process of the bench inherits: without variables that add a fixed cost to each Node start.

/**
 * Variables that change what every Node process does at start-up, whatever it runs:
 * - NODE_EXTRA_CA_CERTS: Node 20 reads and parses the whole certificate file at start-up (on the machine in the
 *   README, a 200 KB bundle cost each `node` ~50 ms of CPU, more than the bare worker's whole cold start);
 * - NODE_OPTIONS: preloads and flags of the person running the bench.
 * They come from the shell of whoever runs the bench, not from the setups it compares (a systemd --user service
 * does not inherit them either), and they add the same constant to both sides of every ratio, pulling it towards 1.
 */
export const START_UP_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const;

/** Removes START_UP_VARIABLES from process.env (children inherit it) and returns the names it removed. */
export function cleanStartUpEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  const removed: string[] = [];
  for (const name of START_UP_VARIABLES) {
    if (env[name] !== undefined) {
      delete env[name];
      removed.push(name);
    }
  }
  return removed;
}
