/**
 * `/avatar forget` through real Bolt on the bot's HTTP server (signed requests from the fake
 * Slack's signer), and its slow path (canceling takes longer than the ack allows) on its own.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SlackContext } from '../../../../src/bots/slack/context.js';
import { answerForget } from '../../../../src/bots/slack/listeners/commands/forget.js';
import type { Forgotten } from '../../../../src/core/ports.js';
import { commandFields, mentionEnvelope } from '../../../fakes/slack/signer.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { ALICE, BOB, botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function video(user: string): Promise<string> {
  const ts = w.fake.nextTs();
  const files = [
    w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: await makeJpeg() }),
    w.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: await makeTone(1, 'wav') }),
  ];
  await w.signer.postEvent(
    mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text: 'talk', files, botUserId: w.fake.botUserId }),
  );
  await waitFor('the result', () => botMessage(w.fake, ts, /ready/));
  const job = (await w.jobsOf(user))[0];
  if (job === undefined) throw new Error('no job');
  await waitFor('delivered', async () => (await w.h.core.jobs.get(job.id))?.delivered);
  return job.id;
}

it('/avatar forget deletes the face and every video of the person, answers ephemerally with counts, leaves others alone', async () => {
  const mine = await video(ALICE);
  const theirs = await video(BOB);
  expect(await w.h.core.faces.get('slack', ALICE)).not.toBeNull();

  const res = await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user: ALICE, text: 'forget' }));
  expect(res.status).toBe(200);
  const body = JSON.parse(res.text) as { response_type?: string; text?: string };
  expect(body.response_type).toBe('ephemeral');
  expect(body.text).toBe(
    ':wastebasket: *Deleted* your saved face, 1 video. Nothing else of yours is kept; messages already posted in Slack stay until you delete them.',
  );
  expect(await w.h.core.faces.get('slack', ALICE)).toBeNull();
  expect(await w.h.core.jobs.get(mine)).toBeNull();
  expect(await w.jobsOf(ALICE)).toEqual([]);
  expect(await w.h.core.jobs.get(theirs)).not.toBeNull();
  expect(await w.h.core.faces.get('slack', BOB)).not.toBeNull();
  // Her Home tab no longer shows the face or the video.
  const home = await waitFor('home after forget', () =>
    [...w.fake.home.views].reverse().find((v) => v.user === ALICE && JSON.stringify(v.view).includes('You have no videos yet.')),
  );
  expect(JSON.stringify(home.view)).toContain('none saved');
});

it('when forgetting outlasts the ack, the ack says so and the counts follow', async () => {
  let finish: (f: Forgotten) => void = () => undefined;
  const forgetting = new Promise<Forgotten>((resolve) => {
    finish = resolve;
  });
  const ctx = { core: { jobs: { forgetPerson: () => forgetting } }, logger: pino({ level: 'silent' }) } as unknown as SlackContext;
  const said: string[] = [];
  const answered = answerForget(
    ctx,
    ALICE,
    {
      ack: async (text) => {
        said.push(`ack: ${text}`);
        // Only now does the cancellation finish.
        finish({ canceled: 2, face: true, voice: false, consent: false, jobs: 3, media: 2 });
      },
      later: async (text) => {
        said.push(`later: ${text}`);
      },
    },
    1,
  );
  await answered;
  expect(said).toEqual([
    'ack: Forgetting you: videos still being made are canceled first. I will confirm here in a moment.',
    'later: :wastebasket: Canceled 2 videos still being made. *Deleted* your saved face, 3 videos and their files. Nothing else of yours is kept; messages already posted in Slack stay until you delete them.',
  ]);
});
