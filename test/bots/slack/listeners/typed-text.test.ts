/**
 * Typed text through real Bolt on the bot's HTTP server: a mention's words, Make it talk on a
 * text message and `/avatar say`, spoken by the fake avatar service's text-to-speech (which
 * records the text and voice it was sent), then rendered like a voice clip. Refusals (too long,
 * nothing to say, no face, the service's TTS failing) are answered in the shared words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesInput } from '../../../../src/core/media-input.js';
import { commandFields, mentionEnvelope, shortcutPayload } from '../../../fakes/slack/signer.js';
import { makeJpeg } from '../../../helpers/media.js';
import { botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

/** Small, so a too-long text is easy to type. */
const TEXT_MAX = 60;

let w: SlackWorld;
let jpeg: Buffer;

beforeAll(async () => {
  w = await startWorld({ env: { TEXT_MAX_CHARS: String(TEXT_MAX) } });
  jpeg = await makeJpeg();
});

afterAll(async () => {
  await w?.stop();
});

async function withFace(user: string): Promise<string> {
  await w.h.core.faces.save('slack', user, bytesInput(jpeg, 'face.jpg'));
  return user;
}

async function mention(user: string, text: string, opts: { files?: unknown[]; threadTs?: string } = {}): Promise<string> {
  const ts = w.fake.nextTs();
  const res = await w.signer.postEvent(
    mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text, botUserId: w.fake.botUserId, ...opts }),
  );
  expect(res.status).toBe(200);
  return ts;
}

async function command(user: string, text: string): Promise<{ status: number; body: { response_type?: string; text?: string } | null }> {
  const res = await w.signer.postCommand(
    commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text, responseUrl: w.fake.responseUrl() }),
  );
  return { status: res.status, body: res.text === '' ? null : (JSON.parse(res.text) as { response_type?: string; text?: string }) };
}

/** The first text the bot posted in a thread (the "Got it" line, before any edit). */
function firstPosted(threadTs: string): string | undefined {
  const call = w.fake.callsOf('chat.postMessage').find((c) => c.params['thread_ts'] === threadTs);
  return call === undefined ? undefined : String(call.params['text']);
}

const spoken = () => w.mock.speechRequests();

describe('slack typed text', () => {
  it('a mention with words and a saved face speaks the words (mention removed) in the default voice', async () => {
    const user = await withFace('U0TXT1');
    const before = spoken().length;
    const ts = await mention(user, `<@${w.fake.botUserId}> Hello team, *welcome* aboard!`);
    const done = await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    expect(firstPosted(ts)).toContain('Making the voice');
    // One message in the thread: the "making the voice" line became the progress, then the result.
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(1);
    expect(done.edits).toBeGreaterThanOrEqual(1);
    const sent = spoken().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toBe('Hello team, welcome aboard!');
    // No voice chosen: the first premade voice the service lists.
    const first = (await w.h.core.voices.list())[0];
    expect(sent[0]?.voice_profile_id).toBe(first?.id);
    expect((await w.jobsOf(user))[0]?.state).toBe('completed');
  });

  it('a mention with words and an image (no saved face) speaks the words with that image', async () => {
    const user = 'U0TXT2';
    const before = spoken().length;
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const ts = await mention(user, `<@${w.fake.botUserId}> Good morning from the image`, { files: [image] });
    await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    expect(
      spoken()
        .slice(before)
        .map((s) => s.text),
    ).toEqual(['Good morning from the image']);
    // The image was downloaded from Slack and became the person's face, as with a voice clip.
    expect(w.fake.fileRequests.some((r) => r.path.includes(String(image['id'])))).toBe(true);
    expect(await w.h.core.faces.get('slack', user)).not.toBeNull();
  });

  it('a bare mention still answers with help, and "face" with an image still saves the face (nothing spoken)', async () => {
    const before = spoken().length;
    const bare = await mention('U0TXT3', `<@${w.fake.botUserId}>`);
    await waitFor('help', () => botMessage(w.fake, bare, /Talking avatar/));
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const face = await mention('U0TXT3', `<@${w.fake.botUserId}> save my face`, { files: [image] });
    await waitFor('face saved', () => botMessage(w.fake, face, /Saved as your face/));
    expect(spoken().length).toBe(before);
  });

  it('/avatar say speaks the text with the saved face in a thread under a message saying who asked', async () => {
    const user = await withFace('U0TXT4');
    const before = spoken().length;
    const res = await command(user, 'say Quarterly numbers are up');
    expect(res.status).toBe(200);
    // The ack carries nothing: the work goes on after it.
    expect(res.body?.text ?? '').toBe('');
    const parent = await waitFor('parent message', () =>
      w.fake.messages.find((m) => m.channel === CHANNEL && m.thread_ts === undefined && m.text?.includes(`<@${user}> asked me to say`)),
    );
    expect(parent.text).toContain('Quarterly numbers are up');
    await waitFor('result', () => botMessage(w.fake, parent.ts, /ready/));
    expect(
      spoken()
        .slice(before)
        .map((s) => s.text),
    ).toEqual(['Quarterly numbers are up']);
    expect((await w.jobsOf(user))[0]?.replyTo).toBe(`slack:${w.fake.teamId}:${CHANNEL}:${parent.ts}`);
  });

  it('/avatar say refuses privately, in its ack: no words, only markup, no face, too long', async () => {
    const before = spoken().length;
    const posts = w.fake.callsOf('chat.postMessage').length;
    const user = await withFace('U0TXT5');
    expect((await command(user, 'say')).body?.text).toMatch(/Type the words after `say`/);
    expect((await command(user, 'say <https://example.com> :wave:')).body?.text).toMatch(/nothing to say/);
    expect((await command('U0NOFACE', 'say hello')).body?.text).toMatch(/no saved face/);
    const long = 'word '.repeat(20).trim();
    const tooLong = await command(user, `say ${long}`);
    expect(tooLong.body?.response_type).toBe('ephemeral');
    expect(tooLong.body?.text).toContain(`That text is ${long.length} characters long; I can speak up to ${TEXT_MAX}.`);
    expect(spoken().length).toBe(before);
    expect(w.fake.callsOf('chat.postMessage').length).toBe(posts);
  });

  it('Make it talk on a text message speaks its text (mentions removed, link labels kept)', async () => {
    const user = await withFace('U0TXT6');
    const before = spoken().length;
    const text = `<@U0BOB> see <https://example.com/docs|the docs> today`;
    const target = w.fake.addMessage({ channel: CHANNEL, user: 'U0BOB', text });
    const res = await w.signer.postInteractive(
      shortcutPayload({ team: w.fake.teamId, channel: CHANNEL, user, message: { ts: target.ts, user: 'U0BOB', text } }),
    );
    expect(res.status).toBe(200);
    await waitFor('result', () => botMessage(w.fake, target.ts, /ready/));
    expect(firstPosted(target.ts)).toContain('Making the voice');
    expect(
      spoken()
        .slice(before)
        .map((s) => s.text),
    ).toEqual(['see the docs today']);
  });

  it('Make it talk on a message that is only a link says there is nothing to say, privately', async () => {
    const user = await withFace('U0TXT7');
    const before = spoken().length;
    const text = '<https://example.com>';
    const target = w.fake.addMessage({ channel: CHANNEL, user: 'U0BOB', text });
    await w.signer.postInteractive(shortcutPayload({ team: w.fake.teamId, channel: CHANNEL, user, message: { ts: target.ts, text } }));
    await waitFor('ephemeral', () =>
      w.fake.callsOf('chat.postEphemeral').find((c) => c.params['user'] === user && /nothing to say/.test(String(c.params['text']))),
    );
    expect(w.fake.botMessagesIn(CHANNEL, target.ts)).toHaveLength(0);
    expect(spoken().length).toBe(before);
  });

  it('a mention with too long a text gets the count and the limit; nothing goes to the service', async () => {
    const user = await withFace('U0TXT8');
    const before = spoken().length;
    const submits = (await w.jobsOf(user)).length;
    const long = 'a'.repeat(TEXT_MAX + 15);
    const ts = await mention(user, `<@${w.fake.botUserId}> ${long}`);
    const refused = await waitFor('refusal', () => botMessage(w.fake, ts, /characters long/));
    expect(refused.text).toContain(`That text is ${TEXT_MAX + 15} characters long; I can speak up to ${TEXT_MAX}.`);
    expect(spoken().length).toBe(before);
    expect(await w.jobsOf(user)).toHaveLength(submits);
  });

  it("the service's text-to-speech failing is answered in the shared words (out of credits)", async () => {
    const user = await withFace('U0TXT9');
    w.mock.failNext('tts', { kind: 'status', status: 402, body: { title: 'Payment Required', status: 402, detail: 'No credits.' } });
    const ts = await mention(user, `<@${w.fake.botUserId}> This will not be spoken`);
    const refused = await waitFor('refusal', () => botMessage(w.fake, ts, /out of credits/));
    expect(refused.text).toMatch(/^:warning:/);
    expect(await w.jobsOf(user)).toHaveLength(0);
  });

  it('/avatar say acknowledges before the speech is made: a hanging text-to-speech is answered later, in words', async () => {
    const user = await withFace('U0TXT10');
    // The service takes the request and answers nothing; the client gives up after its timeout.
    w.mock.failNext('tts', { kind: 'stall', ms: 30_000 });
    const before = spoken().length;
    const res = await command(user, 'say Nobody will hear this');
    expect(res.status).toBe(200);
    const parent = await waitFor('parent', () => w.fake.messages.find((m) => m.text?.includes(`<@${user}> asked me to say`)));
    // Acknowledged, and the speech not finished: no job, no answer in the thread yet.
    expect(await w.jobsOf(user)).toHaveLength(0);
    expect(botMessage(w.fake, parent.ts, /avatar service/)).toBeUndefined();
    await waitFor('speech requested', () => spoken().length > before);
    const refused = await waitFor('refusal', () => botMessage(w.fake, parent.ts, /avatar service/), 30_000);
    expect(refused.text).toMatch(/^:warning: The avatar service/);
    expect(await w.jobsOf(user)).toHaveLength(0);
  }, 40_000);
});
