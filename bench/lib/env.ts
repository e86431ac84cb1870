/**
 * Production poll and timeout settings for figures that measure the engine (the harness's fast
 * test defaults would make polling look cheaper than it is), with capacity raised so no job of
 * a figure is refused or queued for capacity.
 */
export function productionEnv(capacity: number): Record<string, string> {
  return {
    AVATAR_POLL_FIRST_SECONDS: '1.5',
    AVATAR_POLL_MAX_INTERVAL_SECONDS: '30',
    AVATAR_RENDER_RATIO: '1.5',
    AVATAR_TIMEOUT_SECONDS: '600',
    AVATAR_REQUEST_TIMEOUT_SECONDS: '30',
    LIMIT_IN_FLIGHT: String(capacity),
    LIMIT_PER_GROUP: String(capacity),
    QUEUE_MAX: '5000',
  };
}
