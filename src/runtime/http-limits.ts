// How long a worker waits for slow or stalled clients: the numbers SECURITY.md quotes (a test reads them from here).

/** All request headers must arrive within this long of the connection's first byte (slowloris). */
export const HEADERS_TIMEOUT_MS = 15_000;
/** The whole request, body included, must arrive within this long. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** How often node checks those two deadlines, so a stalled client is dropped at most this much late. */
export const TIMEOUT_CHECK_INTERVAL_MS = 5_000;
