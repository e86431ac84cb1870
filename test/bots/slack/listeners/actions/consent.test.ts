/**
 * FACE_CONSENT=once on Slack, through Bolt and the fake Slack: the first mention is answered
 * with the question and a button, nothing downloaded or sent; someone else's click is refused
 * privately; the requester's click makes the same video on the same message; the next mention
 * is not asked; a click after the wait is gone records the consent and says to send it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonPayload, mentionEnvelope } from '../../../../fakes/slack/signer.js';
import { makeJpeg, makeTone } from '../../../../helpers/media.js';
import { ALICE, BOB, botMessage, buttonsOf, CHANNEL, startWorld, waitFor, type SlackWorld } from '../../world.js';

let w: SlackWorld;
let jpeg: Buffer;
let wav: Buffer;

beforeAll(async () => {
  w = await startWorld({ env: { FACE_CONSENT: 'once' } });
  jpeg = await makeJpeg();
  wav = await makeTone(1.5, 'wav');
});

afterAll(async () => {
  await w?.stop();
});

async function mention(user: string): Promise<string> {
  const ts = w.fake.nextTs();
  const files = [
    w.fake.addFile({ name: 'me.png', mimetype: 'image/jpeg', bytes: jpeg }),
    w.fake.addFile({ name: 'voice.wav', mimetype: 'audio/wav', bytes: wav }),
  ];
  const res = await w.signer.postEvent(
    mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text: 'go', files, botUserId: w.fake.botUserId }),
  );
  expect(res.status).toBe(200);
  return ts;
}

function click(user: string, messageTs: string, value: string) {
  return w.signer.postInteractive(
    buttonPayload({ team: w.fake.teamId, channel: CHANNEL, user, messageTs, actionId: 'avatar_consent', value }),
  );
}

describe('the consent button', () => {
  it('asks once, refuses someone else, makes the same video on the same message, then remembers', async () => {
    const filesBefore = w.fake.fileRequests.length;
    const ts = await mention(ALICE);
    const asked = await waitFor('the consent question', () => botMessage(w.fake, ts, /permission to use it/));
    const [button] = buttonsOf(asked);
    expect(button?.actionId).toBe('avatar_consent');
    expect(button?.value).toMatch(new RegExp(`^[\\w-]+:${ALICE}$`));
    expect(w.fake.fileRequests.length).toBe(filesBefore);
    expect(await w.jobsOf(ALICE)).toEqual([]);
    expect(w.mock.stats().submits).toBe(0);

    expect((await click(BOB, asked.ts, button?.value ?? '')).status).toBe(200);
    await waitFor('the refusal', () =>
      w.fake
        .callsOf('chat.postEphemeral')
        .find((c) => c.params['user'] === BOB && /Only the person who sent this face/.test(String(c.params['text']))),
    );
    expect(await w.h.core.consent.needed('slack', BOB)).toBe(true);

    await click(ALICE, asked.ts, button?.value ?? '');
    const done = await waitFor('the confirmed video', () => botMessage(w.fake, ts, /ready/));
    expect(done.ts).toBe(asked.ts);
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(1);
    expect(w.fake.fileRequests.length).toBeGreaterThan(filesBefore);
    expect(await w.h.core.consent.needed('slack', ALICE)).toBe(false);

    const next = await mention(ALICE);
    await waitFor('the second video', () => botMessage(w.fake, next, /ready/));
    expect(w.fake.botMessagesIn(CHANNEL, next).some((m) => buttonsOf(m).some((b) => b.actionId === 'avatar_consent'))).toBe(false);
  });

  it('a click after the wait is gone records the consent and asks to send the request again', async () => {
    const ts = await mention(BOB);
    const asked = await waitFor('the consent question', () => botMessage(w.fake, ts, /permission to use it/));
    // A nonce this process never handed out: what a click after a restart looks like.
    await click(BOB, asked.ts, `AAAAAAAAAAAA:${BOB}`);
    const answer = await waitFor('the answer', () => botMessage(w.fake, ts, /no longer waiting/));
    expect(answer.text).toBe('Thank you, noted. I will not ask you again. That request is no longer waiting, so please send it again.');
    expect(buttonsOf(answer)).toEqual([]);
    expect(await w.h.core.consent.needed('slack', BOB)).toBe(false);
    expect(await w.jobsOf(BOB)).toEqual([]);
  });
});
