/**
 * Prometheus metrics for the bot, on a private Registry (never prom-client's global one, so
 * tests and several apps in one process do not collide). Job counts and the waiting line are
 * read from the store at scrape time (the store is the truth, also across restarts); counters
 * mirror `engine.stats()`; the duration histogram is fed by `engine.onUpdate`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobEngine } from '../core/jobs/engine.js';
import { isFinal, type JobView } from '../core/ports.js';
import type { JobStore } from '../core/store/port.js';

/** What the metrics read: the engine (stats, updates) and the store (counts). */
export interface MetricsDeps {
  engine: Pick<JobEngine, 'stats' | 'onUpdate'>;
  store: Pick<JobStore, 'countByStateAndPlatform' | 'countWaiting'>;
}

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of `scrape()`'s text (Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** The exposition text, computed now. */
  scrape(): Promise<string>;
  /** Stops listening to job updates. */
  stop(): void;
}

const PREFIX = 'talking_avatar_';
/** Seconds: a preview render takes a few seconds, a real one up to the 600 s deadline. */
const DURATION_BUCKETS = [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

/** A counter whose value is copied from a running total at scrape time. */
function mirrorCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name: PREFIX + name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(Math.max(0, read()));
    },
  });
}

/** Creates the registry and its metrics, and starts observing job durations. */
export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  const { engine, store } = deps;

  new Gauge({
    name: `${PREFIX}jobs`,
    help: 'Jobs in the store by platform and state (read at scrape time).',
    labelNames: ['platform', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await store.countByStateAndPlatform()) this.set({ platform: row.platform, state: row.state }, row.n);
    },
  });
  new Gauge({
    name: `${PREFIX}queue_depth`,
    help: 'Jobs waiting for a free slot (queued, not yet being sent).',
    registers: [registry],
    async collect() {
      this.set(await store.countWaiting());
    },
  });
  const duration = new Histogram({
    name: `${PREFIX}job_duration_seconds`,
    help: 'Seconds from job creation to its final state, by platform and final state.',
    labelNames: ['platform', 'state'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  mirrorCounter(registry, 'status_polls_total', 'Status requests sent to the avatar service.', () => engine.stats().statusPolls);
  mirrorCounter(registry, 'submits_total', 'Submit requests sent to the avatar service.', () => engine.stats().submits);
  mirrorCounter(registry, 'deliveries_total', 'Final answers delivered to people.', () => engine.stats().deliveries);
  mirrorCounter(
    registry,
    'delivery_failures_total',
    'Delivery attempts that failed (each is retried).',
    () => engine.stats().deliveryFailures,
  );
  mirrorCounter(registry, 'webhook_wakes_total', 'Authenticated webhook calls from the avatar service.', () => engine.stats().webhookWakes);
  new Counter({
    name: `${PREFIX}api_errors_total`,
    help: 'Avatar service errors that reached a job (after the client retries), by error code.',
    labelNames: ['code'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [code, n] of Object.entries(engine.stats().apiErrors)) this.inc({ code }, n);
    },
  });

  // The engine emits a job's final state once, undelivered; the later "delivered" update (and a
  // redelivery after a restart) carries delivered=true, so this observes each job once.
  const off = engine.onUpdate((job: JobView) => {
    if (!isFinal(job.state) || job.delivered) return;
    const end = job.finishedAt ?? job.updatedAt;
    duration.observe({ platform: job.platform, state: job.state }, Math.max(0, end - job.createdAt) / 1000);
  });

  return {
    registry,
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
    stop: off,
  };
}
