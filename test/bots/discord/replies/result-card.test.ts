/**
 * The result card on the wire: the Components V2 flag, no content, the uploaded video in a media
 * gallery through `attachment://`, and today's plain answer when Discord refuses the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../fakes/discord/fake-discord.js';
import { IS_COMPONENTS_V2 } from '../../../fakes/discord/forms.js';
import { slashInteraction, type FakeUser, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, buttonsOf, contentOf, startWorld, type World } from '../world.js';

let w: World;
let n = 0;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  w.fake.forms.refuseComponentsV2 = null;
  await w?.stop();
});

function person(): FakeUser {
  n += 1;
  return { id: `9${String(n).padStart(17, '0')}`, username: `carder${n}` };
}

/** `/avatar` with a face and a voice note (or text); resolves with the final edit of @original. */
async function avatar(user: FakeUser, text?: string): Promise<RecordedRequest> {
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const i = slashInteraction(w.base(user), {
    name: 'avatar',
    options: [
      text === undefined ? attachmentOption('audio', audio) : { name: 'text', type: 3, value: text },
      attachmentOption('image', image),
    ],
    attachments: text === undefined ? [audio, image] : [image],
  });
  w.fake.sendInteraction(i);
  const token = String(i.token);
  return w.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(token) && r.status === 200 && /^(✅|⚠️)/.test(contentOf(r))),
    30_000,
    'the final answer',
  );
}

/** Every component of a tree, depth first. */
function flat(nodes: unknown): Json[] {
  return Array.isArray(nodes) ? (nodes as Json[]).flatMap((c) => [c, ...flat(c.components)]) : [];
}

describe('the result card', () => {
  it('is a Components V2 message: the flag, no content, the uploaded MP4 in a media gallery, the spoken text, AI-generated, the link', async () => {
    const user = person();
    const final = await avatar(user, 'A card that speaks');
    const body = final.json as Json;
    expect(Number(body.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(body.content ?? '').toBe('');
    expect(body.embeds ?? []).toEqual([]);
    const uploaded = final.files[0]?.filename;
    expect(uploaded).toMatch(/\.mp4$/);
    const gallery = flat(body.components).find((c) => c.type === 12);
    expect(((gallery?.items as Json[])[0]?.media as Json).url).toBe(`attachment://${uploaded}`);
    const job = await w.jobOf(user);
    const words = contentOf(final);
    expect(words).toContain('> A card that speaks');
    expect(words).toContain('AI-generated');
    expect(words).toContain(job.fileUrl ?? 'missing');
    expect(words).toMatch(/Length \d/);
    // Not the preview server here: no preview note.
    expect(job.preview).toBe(false);
    expect(words).not.toContain('Preview mode');
    expect(buttonsOf(final)).toEqual([`avatar:delete:${job.id}`, `avatar:same-face:${job.id}`]);
    // The message as Discord keeps it carries the flag, the gallery and the uploaded file.
    const shown = [...w.fake.messages.values()].find((m) =>
      flat(m.components).some((c) => c.type === 12 && JSON.stringify(c) === JSON.stringify(gallery)),
    );
    expect(Number(shown?.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect((shown?.attachments as Json[]).map((a) => a.filename)).toEqual([uploaded]);
  });

  it("refused by Discord (400 or 403): today's plain answer, with the link and the file", async () => {
    for (const status of [400, 403] as const) {
      w.fake.forms.refuseComponentsV2 = status;
      try {
        const user = person();
        const final = await avatar(user);
        const job = await w.jobOf(user);
        const body = final.json as Json;
        expect(Number(body.flags ?? 0) & IS_COMPONENTS_V2).toBe(0);
        expect(String(body.content)).toContain(job.fileUrl ?? 'missing');
        expect(final.files[0]?.filename).toMatch(/\.mp4$/);
        // The card was tried first and refused.
        const tried = w.fake.requests.filter(
          (r) => r.status === status && (Number((r.json as Json | null)?.flags ?? 0) & IS_COMPONENTS_V2) !== 0,
        );
        expect(tried.length).toBeGreaterThan(0);
        expect((await w.waitJob(job.id, (j) => j.delivered, 'delivery')).state).toBe('completed');
      } finally {
        w.fake.forms.refuseComponentsV2 = null;
      }
    }
  });
});
