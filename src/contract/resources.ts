// The resource caps' grammar (--tasks-max, --memory-max) and their defaults, as systemd's TasksMax=/MemoryMax= read them.

export const DEFAULT_TASKS_MAX = 512;
export const DEFAULT_MEMORY_MAX = '2G';

const PERCENT = '([1-9][0-9]?|100)%';
/** A task count above 0, a percentage of the system's limit, or "infinity". */
export const TASKS_MAX_PATTERN = new RegExp(`^([1-9][0-9]{0,6}|${PERCENT}|infinity)$`);
/** Bytes with an optional K/M/G/T suffix, a percentage of RAM, or "infinity". */
export const MEMORY_MAX_PATTERN = new RegExp(`^([1-9][0-9]{0,14}[KMGT]?|${PERCENT}|infinity)$`);

export const TASKS_MAX_HINT = 'a whole number above 0 (e.g. 512), a percentage (e.g. 10%) or infinity';
export const MEMORY_MAX_HINT =
  'bytes with an optional K, M, G or T suffix (e.g. 512M), a percentage (e.g. 20%), or infinity';
