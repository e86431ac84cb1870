/**
 * What the engine keeps about people, and for how long: the hourly purge (kept media past its
 * time, finished jobs past JOB_RETENTION_DAYS) and "forget me". The store deletes; this part
 * decides what may go and cancels a person's running jobs before forgetting them.
 */
import type { Forgotten } from '../ports.js';
import { isFinal } from '../ports.js';
import type { JobPatch } from '../store/port.js';
import type { JobContext } from './context.js';
import type { Delivery } from './delivery.js';
import { startOfUtcDay } from './quota.js';

/** How a job canceled by its person ends (the Cancel button, and "forget me"). */
export const CANCELED_BY_REQUESTER: JobPatch = { errorCode: 'JOB_CANCELED', errorMessage: 'Canceled by the person who asked.' };

interface RetentionPart {
  /** Deletes expired media and jobs past retention; returns how many jobs went. */
  purge(t: number): Promise<number>;
  forgetPerson(platform: string, requesterId: string): Promise<Forgotten>;
}

/**
 * Jobs created before this may expire: `jobRetentionMs` ago, but never later than the start of
 * the current UTC day, so the daily quotas (counted from the jobs of today) stay exact even
 * with a retention shorter than a day.
 */
export function expiryBound(t: number, jobRetentionMs: number): number {
  return Math.min(t - jobRetentionMs, startOfUtcDay(t));
}

export function createRetention(ctx: JobContext, parts: { delivery: Delivery }): RetentionPart {
  const { store, config } = ctx;

  return {
    async purge(t) {
      await store.purgeExpiredMedia(t);
      const expired = await store.expireJobsBefore(expiryBound(t, config.jobRetentionMs));
      if (expired > 0) ctx.log.info({ expired }, 'deleted finished jobs past their retention');
      return expired;
    },

    async forgetPerson(platform, requesterId) {
      const jobs = await store.listForRequester(platform, requesterId, -1);
      // Running jobs end first, the way Cancel ends them, and their answers are sent before the
      // rows go: no progress message is left saying "rendering" for a job that no longer exists.
      // (The service may still render one already sent; its result is then never fetched.)
      let canceled = 0;
      for (const job of jobs) {
        if (isFinal(job.state)) continue;
        ctx.submitting.get(job.id)?.abort();
        const { done, delivered } = await parts.delivery.finish(job, 'canceled', CANCELED_BY_REQUESTER);
        if (done === null) continue;
        canceled += 1;
        await delivered;
      }
      const counts = await store.forgetPerson(platform, requesterId);
      for (const job of jobs) {
        ctx.unschedule(job.id);
        ctx.lastPosition.delete(job.id);
        ctx.pollFailures.delete(job.id);
      }
      ctx.log.info(
        { platform, canceled, jobs: counts.jobs, media: counts.media, face: counts.face, voice: counts.voice },
        'forgot a person',
      );
      return { canceled, ...counts };
    },
  };
}
