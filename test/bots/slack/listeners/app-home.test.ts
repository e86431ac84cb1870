/**
 * The App Home tab and `/avatar history` through real Bolt: `app_home_opened` publishes the
 * person's tab (face, voice, last 10 videos newest first, how-to) with views.publish; a job's end
 * publishes it again; a failing views.publish never costs the answer; `/avatar history` lists
 * the same videos privately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReplyTo } from '../../../../src/bots/slack/reply-to.js';
import { bytesInput } from '../../../../src/core/media-input.js';
import { typedText } from '../../../../src/core/ports.js';
import { commandFields, homeOpenedEnvelope, mentionEnvelope, selectPayload } from '../../../fakes/slack/signer.js';
import { makeJpeg } from '../../../helpers/media.js';
import { botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;
let jpeg: Buffer;

beforeAll(async () => {
  // Twelve videos of one person render side by side, not two at a time.
  w = await startWorld({ env: { LIMIT_PER_PERSON: '20' } });
  jpeg = await makeJpeg();
});

afterAll(async () => {
  await w?.stop();
});

/** Every text in a list of blocks (sections, headers, context), in order. */
function textsOf(blocks: unknown): string[] {
  const out: string[] = [];
  for (const b of Array.isArray(blocks) ? (blocks as Record<string, unknown>[]) : []) {
    const t = (b['text'] as { text?: unknown } | undefined)?.text;
    if (typeof t === 'string') out.push(t);
    for (const e of Array.isArray(b['elements']) ? (b['elements'] as Record<string, unknown>[]) : []) {
      if (typeof e['text'] === 'string') out.push(e['text']);
    }
  }
  return out;
}

function viewsOf(user: string) {
  return w.fake.home.views.filter((v) => v.user === user);
}

async function openHome(user: string): Promise<string[]> {
  const before = viewsOf(user).length;
  const res = await w.signer.postEvent(homeOpenedEnvelope({ team: w.fake.teamId, user, botUserId: w.fake.botUserId }));
  expect(res.status).toBe(200);
  const view = await waitFor('home view', () => viewsOf(user)[before]);
  expect(view.view['type']).toBe('home');
  return textsOf(view.view['blocks']);
}

/**
 * Jobs straight through the core (typed text, so each has its words), one after another so
 * their order is known (each create speaks its text first: about a second apiece).
 */
async function makeJobs(user: string, n: number): Promise<void> {
  await w.h.core.faces.save('slack', user, bytesInput(jpeg, 'face.jpg'));
  for (let i = 1; i <= n; i += 1) {
    const threadTs = w.fake.nextTs();
    await w.h.core.jobs.create({
      platform: 'slack',
      requesterId: user,
      groupId: w.fake.teamId,
      replyTo: formatReplyTo({ team: w.fake.teamId, channel: CHANNEL, threadTs }),
      image: bytesInput(jpeg, 'face.jpg'),
      speech: typedText(`video number ${i}`),
    });
  }
  await waitFor(
    `${n} answers`,
    async () => {
      const jobs = await w.jobsOf(user);
      return jobs.length === n && jobs.every((j) => j.delivered);
    },
    60_000,
  );
}

describe('slack App Home', () => {
  it('opening the Home tab publishes the last 10 of 12 videos, newest first, and the saved voice', async () => {
    const user = 'U0HOME1';
    const voices = await w.h.core.voices.list();
    const chosen = voices[voices.length - 1];
    if (chosen === undefined) throw new Error('no voices');
    await w.h.core.voices.save('slack', user, chosen.id);
    await makeJobs(user, 12);

    const texts = await openHome(user);
    expect(texts.some((t) => t.includes('*Your face*: saved'))).toBe(true);
    expect(texts.some((t) => t.includes('*Your voice*') && t.includes(chosen.name))).toBe(true);
    const lines = texts.filter((t) => /video number \d+/.test(t));
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => Number(/video number (\d+)/.exec(l)?.[1]))).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    // Each line: its state, when (in Slack's date formatting), and the link while there.
    const job = (await w.jobsOf(user))[0];
    expect(lines[0]).toContain('Ready');
    expect(lines[0]).toContain(`<!date^${Math.floor((job?.createdAt ?? 0) / 1000)}^{date_short_pretty} {time}|`);
    expect(lines[0]).toContain(`<${job?.fileUrl ?? 'missing'}|video>`);
    // And the how-to.
    expect(texts.some((t) => t.includes('/avatar say') && t.includes('Make it talk'))).toBe(true);
  });

  it('a person with nothing yet sees no face, the default voice and no videos; the Messages tab publishes nothing', async () => {
    const user = 'U0HOME2';
    const texts = await openHome(user);
    expect(texts.some((t) => t.includes('*Your face*: none saved'))).toBe(true);
    expect(texts.some((t) => t.includes('the default'))).toBe(true);
    expect(texts).toContain('You have no videos yet.');

    const before = w.fake.home.views.length;
    await w.signer.postEvent(homeOpenedEnvelope({ team: w.fake.teamId, user, botUserId: w.fake.botUserId, tab: 'messages' }));
    // A later home open is published: the messages one before it was not.
    await openHome(user);
    expect(w.fake.home.views.length).toBe(before + 1);
  });

  it('a job that ends publishes its person’s Home tab again, with that job in it', async () => {
    const user = 'U0HOME3';
    await w.h.core.faces.save('slack', user, bytesInput(jpeg, 'face.jpg'));
    const ts = w.fake.nextTs();
    await w.signer.postEvent(
      mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text: 'Fresh from the oven', botUserId: w.fake.botUserId }),
    );
    await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    const view = await waitFor('home after the job', () =>
      viewsOf(user).find((v) => textsOf(v.view['blocks']).some((t) => t.includes('Ready') && t.includes('Fresh from the oven'))),
    );
    expect(view.team).toBe(w.fake.teamId);
  });

  it('a views.publish Slack refuses (Home tab off) never costs the answer', async () => {
    const user = 'U0HOME4';
    await w.h.core.faces.save('slack', user, bytesInput(jpeg, 'face.jpg'));
    w.fake.home.viewsError = 'not_enabled';
    try {
      const ts = w.fake.nextTs();
      await w.signer.postEvent(
        mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text: 'Still answered', botUserId: w.fake.botUserId }),
      );
      await waitFor('result', () => botMessage(w.fake, ts, /ready/));
      await waitFor('delivered', async () => (await w.jobsOf(user))[0]?.delivered === true);
      await waitFor('the refused publish', () => w.fake.callsOf('views.publish').find((c) => c.params['user_id'] === user));
      expect(viewsOf(user)).toHaveLength(0);
    } finally {
      w.fake.home.viewsError = null;
    }
  });

  it('/avatar history answers privately with the same list', async () => {
    const user = 'U0HOME1';
    const res = await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'history' }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_type?: string; text?: string; blocks?: unknown };
    expect(body.response_type).toBe('ephemeral');
    const lines = textsOf(body.blocks).filter((t) => /video number \d+/.test(t));
    expect(lines.map((l) => Number(/video number (\d+)/.exec(l)?.[1]))).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    // The same lines as the Home tab.
    const home = (await openHome(user)).filter((t) => /video number \d+/.test(t));
    expect(lines).toEqual(home);
    expect(body.text).toContain('Your last videos');
  });
});

describe('the Home tab follows what the person changes', () => {
  it('choosing a voice and clearing the face publish the tab again, showing the change', async () => {
    const user = 'U0HOMECHG';
    await w.h.core.faces.save('slack', user, bytesInput(jpeg, 'face.jpg'));
    const voices = await w.h.core.voices.list();
    const chosen = voices[voices.length - 1];
    if (chosen === undefined) throw new Error('the fake lists no voices');
    const before = viewsOf(user).length;
    await w.signer.postInteractive(
      selectPayload({
        team: w.fake.teamId,
        channel: CHANNEL,
        user,
        messageTs: w.fake.nextTs(),
        ephemeral: true,
        responseUrl: w.fake.responseUrl(),
        actionId: 'avatar_voice_choose',
        value: chosen.id,
        label: chosen.name,
      }),
    );
    const afterVoice = await waitFor('home after the voice', () => viewsOf(user)[before]);
    const voiceWords = textsOf(afterVoice.view['blocks']).join('\n');
    expect(voiceWords).toContain(chosen.name);
    expect(voiceWords).toContain('*Your face*: saved.');

    await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'face clear' }));
    const afterFace = await waitFor('home after face clear', () => viewsOf(user)[before + 1]);
    const words = textsOf(afterFace.view['blocks']).join('\n');
    expect(words).toContain('*Your face*: none saved yet.');
    expect(await w.h.core.faces.get('slack', user)).toBeNull();
  });
});
