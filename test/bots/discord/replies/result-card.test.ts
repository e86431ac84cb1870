/**
 * The result card on the wire: the Components V2 flag, no content, the handed-over video in a
 * media gallery through `attachment://`, and today's plain answer when Discord refuses the card.
 * Driven through the ChatReply with the ResultUpdate the core's hand-over gives (the video's
 * bytes): the adapter never fetches the service's link.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { encodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { formatReplyTo } from '../../../../src/bots/discord/reply-to.js';
import { createRest } from '../../../../src/bots/discord/rest.js';
import type { JobView } from '../../../../src/core/ports.js';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../../../fakes/discord/fake-discord.js';
import { IS_COMPONENTS_V2 } from '../../../fakes/discord/forms.js';
import { slashInteraction, snowflake, type Json } from '../../../fakes/discord/payloads.js';
import { handedResult } from '../../../helpers/handover.js';
import { failedJob } from '../../shared/job-view.js';
import { buttonsOf, contentOf } from '../world.js';

let fake: FakeDiscord;
let rest: ReturnType<typeof createRest>;
let n = 0;

beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = createRest({
    token: fake.token,
    apiUrl: fake.apiUrl,
    messageContent: false,
    tokenTtlMs: 1,
    allowedChannels: [],
    allowedRoles: [],
    shards: undefined,
  });
});
afterAll(async () => {
  fake.forms.refuseComponentsV2 = null;
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await fake.close();
});

/**
 * A finished /avatar job answered through its (deferred) interaction's token; resolves with the
 * final edit of @original and every edit tried.
 */
async function answer(spokenText: string | null): Promise<{ job: JobView; final: RecordedRequest; tried: RecordedRequest[] }> {
  n += 1;
  const i = slashInteraction(
    { applicationId: fake.applicationId, guildId: fake.guildId, channelId: fake.channelId, user: { id: snowflake(), username: `c${n}` } },
    { name: 'avatar', options: [], attachments: [] },
  );
  fake.sendInteraction(i);
  await fetch(`${fake.apiUrl}/v10/interactions/${String(i.id)}/${String(i.token)}/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 5 }),
  });
  const state = { v: 1 as const, sizeLimit: 10 * 1024 * 1024, token: String(i.token), appId: fake.applicationId, issuedAt: Date.now() };
  const job: JobView = {
    ...failedJob({
      id: `card-${n}`,
      platform: 'discord',
      replyTo: formatReplyTo({ guildId: fake.guildId, channelId: fake.channelId, messageId: undefined }),
      replyState: encodeReplyState(state),
    }),
    state: 'completed',
    spokenText,
  };
  const reply = createDiscordReply({ tokenTtlMs: 60_000, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });
  const result = await handedResult(job.id, { captions: null });
  await reply.result(job, result);
  reply.dispose();
  const mine = fake.find('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${String(i.token)}/messages/@original$`));
  const final = mine.filter((r) => r.status === 200).at(-1);
  if (final === undefined) throw new Error('no final answer');
  return { job: { ...job, fileUrl: result.fileUrl }, final, tried: mine };
}

/** Every component of a tree, depth first. */
function flat(nodes: unknown): Json[] {
  return Array.isArray(nodes) ? (nodes as Json[]).flatMap((c) => [c, ...flat(c.components)]) : [];
}

describe('the result card', () => {
  it('is a Components V2 message: the flag, no content, the uploaded MP4 in a media gallery, the spoken text, AI-generated, the link', async () => {
    const { job, final } = await answer('A card that speaks');
    const body = final.json as Json;
    expect(Number(body.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(body.content ?? '').toBe('');
    expect(body.embeds ?? []).toEqual([]);
    const uploaded = final.files[0]?.filename;
    expect(uploaded).toMatch(/\.mp4$/);
    const gallery = flat(body.components).find((c) => c.type === 12);
    expect(((gallery?.items as Json[])[0]?.media as Json).url).toBe(`attachment://${uploaded}`);
    const words = contentOf(final);
    expect(words).toContain('> A card that speaks');
    expect(words).toContain('AI-generated');
    expect(words).toContain(job.fileUrl ?? 'missing');
    expect(words).toMatch(/Length \d/);
    // Not the preview server here: no preview note.
    expect(words).not.toContain('Preview mode');
    expect(buttonsOf(final)).toEqual([`avatar:delete:${job.id}`, `avatar:same-face:${job.id}`]);
    // The message as Discord keeps it carries the flag, the gallery and the uploaded file.
    const shown = [...fake.messages.values()].find((m) =>
      flat(m.components).some((c) => c.type === 12 && JSON.stringify(c) === JSON.stringify(gallery)),
    );
    expect(shown).toBeDefined();
    expect(Number(shown?.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect((shown?.attachments as Json[]).map((a) => a.filename)).toEqual([uploaded]);
  });

  it("refused by Discord (400 or 403): today's plain answer, with the link, the file and the AI-generated line", async () => {
    for (const status of [400, 403] as const) {
      fake.forms.refuseComponentsV2 = status;
      try {
        const { job, final, tried } = await answer(null);
        const body = final.json as Json;
        expect(Number(body.flags ?? 0) & IS_COMPONENTS_V2).toBe(0);
        expect(String(body.content)).toContain(job.fileUrl ?? 'missing');
        expect(String(body.content)).toContain('AI-generated');
        expect(final.files[0]?.filename).toMatch(/\.mp4$/);
        // The card was tried first and refused.
        expect(tried.some((r) => r.status === status && (Number((r.json as Json).flags ?? 0) & IS_COMPONENTS_V2) !== 0)).toBe(true);
      } finally {
        fake.forms.refuseComponentsV2 = null;
      }
    }
  });
});
