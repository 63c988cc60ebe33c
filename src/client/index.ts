// The hook client's public API: `import { request } from 'initsock/client'`.
export { request, type ClientResponse } from './request.js';
export { DEFAULT_NAME, DEFAULT_PORT, DEFAULT_TIMEOUT_MS, type RequestOptions, type WorkerOptions } from './options.js';
export type { Mode } from './messages.js';
export { findInstalledService, type InstalledService } from './installed.js';
export { InitsockError, isInitsockError, type ErrorCode } from '../errors.js';
