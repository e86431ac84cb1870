/**
 * Publishes a person's App Home tab (views.publish) from what the core knows of them: when they
 * open the tab, when a job of theirs ends, after they delete a video. Callers give the client and
 * token of the person's workspace. Never throws: a Home tab that cannot be refreshed (the app's
 * Home tab turned off, Slack down) must not break the answer that triggered it.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AvatarCore, Voice } from '../../../core/ports.js';
import { PLATFORM } from '../context.js';
import { lastJobs } from './history-blocks.js';
import { homeView } from './home-view.js';

export interface HomePublisher {
  publish(client: webApi.WebClient, user: string, auth?: { token?: string }): Promise<void>;
}

/** The voice typed text uses today when none is saved; null when none can be named. */
async function defaultVoice(core: AvatarCore, user: string): Promise<Voice | null> {
  try {
    return await core.voices.choose(PLATFORM, user);
  } catch {
    // No voice list (service down, none listed): the tab still shows, saying no voice is listed.
    return null;
  }
}

export function createHomePublisher(deps: { core: AvatarCore; logger: Logger }): HomePublisher {
  const { core, logger } = deps;
  // An app created from an older manifest has no Home tab: said once, not at every job's end.
  let toldNotEnabled = false;
  return {
    async publish(client, user, auth = {}) {
      try {
        const [face, savedVoice, jobs] = await Promise.all([
          core.faces.get(PLATFORM, user),
          core.voices.saved(PLATFORM, user),
          lastJobs({ core }, user),
        ]);
        const view = homeView({
          hasFace: face !== null,
          savedVoice,
          defaultVoice: savedVoice ?? (await defaultVoice(core, user)),
          jobs,
        });
        await client.views.publish({ ...auth, user_id: user, view: view as never });
      } catch (err) {
        const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
        if (code === 'not_enabled') {
          if (!toldNotEnabled) logger.warn('slack App Home is not enabled for this app: turn on the Home tab (see docs/slack.md)');
          toldNotEnabled = true;
          return;
        }
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack App Home not published');
      }
    },
  };
}
