// `initsock/jobs`: keyed singleton jobs for hooks: one run per key at a time, triggers mid-run coalesced into one follow-up.
export {
  runJob,
  listJobs,
  jobInfo,
  stopJob,
  exitCodeOf,
  DEFAULT_TRIGGER_TIMEOUT_MS,
  type RunJobOptions,
  type RunJobResult,
} from './api.js';
export type { JobInfo } from './control.js';
export type { RunResult } from './state.js';
export type { Answer } from './trigger.js';
export { jobId, jobUnit } from './key.js';
