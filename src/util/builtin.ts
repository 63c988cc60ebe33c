// Node built-ins loaded on first use, for the few that a worker's cold start or a hook's request usually never needs.
//
// A static `import ... from 'node:crypto'` loads the module when the program starts (the bundle hoists it to the
// top): about 4 ms of a worker's ~50 ms cold start on a 2-core machine, for a module only token checks and atomic
// writes use. process.getBuiltinModule (Node >= 20.16) returns the same module object, loaded at the first call.

/** node:crypto, loaded at the first call. */
export function crypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/** node:child_process, loaded at the first call. */
export function childProcess(): typeof import('node:child_process') {
  return process.getBuiltinModule('node:child_process');
}

/** node:module, loaded at the first call (requiring it also sets up Node's ESM loader). */
export function nodeModule(): typeof import('node:module') {
  return process.getBuiltinModule('node:module');
}
