/**
 * The result card and Delete through real Bolt: the final message carries the AI-generated
 * context line, the spoken text and Delete (Retry too after a failure); Delete by the requester
 * removes the bot's messages and upload, then the job (its media, link and text), and the
 * history no longer lists it; anyone else is refused in the shared words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReplyState } from '../../../../../src/bots/slack/replies/reply-state.js';
import { bytesInput } from '../../../../../src/core/media-input.js';
import { buttonPayload, commandFields, mentionEnvelope } from '../../../../fakes/slack/signer.js';
import { makeJpeg } from '../../../../helpers/media.js';
import { ALICE, BOB, botMessage, buttonsOf, CHANNEL, startWorld, waitFor, type SlackWorld } from '../../world.js';

let w: SlackWorld;

beforeAll(async () => {
  w = await startWorld();
  const jpeg = await makeJpeg();
  await w.h.core.faces.save('slack', ALICE, bytesInput(jpeg, 'face.jpg'));
});

afterAll(async () => {
  await w?.stop();
});

async function mention(text: string): Promise<string> {
  const ts = w.fake.nextTs();
  const res = await w.signer.postEvent(
    mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user: ALICE, ts, text, botUserId: w.fake.botUserId }),
  );
  expect(res.status).toBe(200);
  return ts;
}

function clickDelete(user: string, messageTs: string, jobId: string) {
  return w.signer.postInteractive(
    buttonPayload({ team: w.fake.teamId, channel: CHANNEL, user, messageTs, actionId: 'avatar_delete', value: jobId }),
  );
}

/** The private notes sent to a person, oldest first. */
function notesTo(user: string): string[] {
  return w.fake
    .callsOf('chat.postEphemeral')
    .filter((c) => c.params['user'] === user)
    .map((c) => String(c.params['text']));
}

function blockTexts(blocks: unknown, type: string): string[] {
  const out: string[] = [];
  for (const b of Array.isArray(blocks) ? (blocks as Record<string, unknown>[]) : []) {
    if (b['type'] !== type) continue;
    const t = (b['text'] as { text?: unknown } | undefined)?.text;
    if (typeof t === 'string') out.push(t);
    for (const e of Array.isArray(b['elements']) ? (b['elements'] as Record<string, unknown>[]) : []) {
      if (typeof e['text'] === 'string') out.push(e['text']);
    }
  }
  return out;
}

describe('slack result card and Delete', () => {
  it('the result has the context line, the spoken text and Delete; Delete by the requester removes it all', async () => {
    const ts = await mention(`<@${w.fake.botUserId}> Say cheese, please`);
    const result = await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    const job = (await w.jobsOf(ALICE))[0];
    if (job === undefined) throw new Error('no job');
    // The disclosure's own context line (a hand-over note, when there is one, has its own).
    const context = blockTexts(result.blocks, 'context').find((t) => t.includes('AI-generated'));
    expect(context).toMatch(/^\d+(\.\d)? s · AI-generated$/);
    // Quoted as the spoken text, or as the transcript when the video has captions.
    expect(blockTexts(result.blocks, 'section').join('\n')).toContain('Say cheese, please');
    expect(buttonsOf(result)).toEqual([{ actionId: 'avatar_delete', value: job.id }]);
    // The upload's id is kept with the job, for Delete.
    const upload = await waitFor('upload', () => w.fake.uploads.find((u) => u.completed?.thread_ts === ts));
    const delivered = await waitFor('delivered', async () => {
      const j = await w.h.core.jobs.get(job.id);
      return j?.delivered === true ? j : undefined;
    });
    expect(decodeReplyState(delivered.replyState).fileIds).toContain(upload.fileId);

    // Someone else: refused in the shared words, nothing touched.
    await clickDelete(BOB, result.ts, job.id);
    await waitFor('refusal', () => notesTo(BOB).find((t) => t.includes('not allowed')));
    expect(botMessage(w.fake, ts, /ready/)).toBeDefined();
    expect(upload.deleted).toBeUndefined();
    expect((await w.h.core.jobs.get(job.id))?.discardedAt).toBeNull();

    // The requester: message and upload gone, the job discarded, the history without it.
    const homesBefore = w.fake.home.views.filter((v) => v.user === ALICE).length;
    await clickDelete(ALICE, result.ts, job.id);
    await waitFor('confirmation', () => notesTo(ALICE).find((t) => t.includes('Deleted')));
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(0);
    expect(w.fake.home.deletedMessages).toContainEqual({ channel: CHANNEL, ts: result.ts });
    expect(upload.deleted).toBe(true);
    const gone = await w.h.core.jobs.get(job.id);
    expect(gone?.discardedAt).not.toBeNull();
    expect(gone?.fileUrl).toBeNull();
    expect(gone?.spokenText).toBeNull();
    expect((await w.jobsOf(ALICE)).map((j) => j.id)).not.toContain(job.id);
    // Her Home tab is published again, without it.
    const home = await waitFor('home after delete', () => w.fake.home.views.filter((v) => v.user === ALICE)[homesBefore]);
    expect(JSON.stringify(home.view)).not.toContain('Say cheese');

    // Pressing it again (the message is already gone) is harmless.
    const notes = notesTo(ALICE).length;
    await clickDelete(ALICE, result.ts, job.id);
    await waitFor('second confirmation', () =>
      notesTo(ALICE)
        .slice(notes)
        .find((t) => t.includes('Deleted')),
    );
  });

  it('a failure shows Retry and Delete; Delete drops the kept media too', async () => {
    w.mock.nextOutcome({ status: 'FAILED', error: 'No face detected in image' });
    const ts = await mention(`<@${w.fake.botUserId}> This one fails`);
    const failed = await waitFor('failure', () => botMessage(w.fake, ts, /failed to render/));
    const job = (await w.jobsOf(ALICE))[0];
    if (job === undefined) throw new Error('no job');
    expect(buttonsOf(failed).map((b) => b.actionId)).toEqual(['avatar_retry', 'avatar_delete']);
    await waitFor('delivered', async () => (await w.h.core.jobs.get(job.id))?.delivered === true);
    expect(await w.h.store.getMedia(job.id)).not.toBeNull();

    await clickDelete(ALICE, failed.ts, job.id);
    await waitFor('message deleted', () => w.fake.home.deletedMessages.find((m) => m.ts === failed.ts));
    await waitFor('discarded', async () => (await w.h.core.jobs.get(job.id))?.discardedAt !== null);
    expect(await w.h.store.getMedia(job.id)).toBeNull();
  });

  it('Delete of an /avatar say video also removes the message that quoted the text', async () => {
    const res = await w.signer.postCommand(
      commandFields({ team: w.fake.teamId, channel: CHANNEL, user: ALICE, text: 'say Quoted words', responseUrl: w.fake.responseUrl() }),
    );
    expect(res.status).toBe(200);
    const parent = await waitFor('the quote', () =>
      w.fake.messages.find(
        (m) => m.channel === CHANNEL && m.thread_ts === undefined && /asked me to say: “Quoted words”/.test(m.text ?? ''),
      ),
    );
    const result = await waitFor('result', () => botMessage(w.fake, parent.ts, /ready/));
    const job = (await w.jobsOf(ALICE))[0];
    if (job === undefined) throw new Error('no job');
    await waitFor('delivered', async () => (await w.h.core.jobs.get(job.id))?.delivered === true);

    const notes = notesTo(ALICE).length;
    await clickDelete(ALICE, result.ts, job.id);
    await waitFor('confirmation', () =>
      notesTo(ALICE)
        .slice(notes)
        .find((t) => t.includes('Deleted')),
    );
    expect(w.fake.home.deletedMessages).toContainEqual({ channel: CHANNEL, ts: parent.ts });
    expect(w.fake.messages.find((m) => m.ts === parent.ts)).toBeUndefined();
  });
});
