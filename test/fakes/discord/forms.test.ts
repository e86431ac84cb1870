/** The fake's modal and Components V2 rules refuse what Discord refuses (so the bot's tests can fail). */
import { describe, expect, it } from 'vitest';
import { createFormsState, IS_COMPONENTS_V2, modalProblems, v2Refusal } from './forms.js';
import type { Json } from './payloads.js';

const gallery = (name: string): Json => ({ type: 12, items: [{ media: { url: `attachment://${name}` } }] });
const card = (extra: Json = {}): Json => ({
  flags: IS_COMPONENTS_V2,
  components: [{ type: 17, components: [gallery('v.mp4')] }],
  ...extra,
});

describe('Components V2 messages', () => {
  it('accepts a card whose attachment:// points at an uploaded file', () => {
    expect(v2Refusal(createFormsState(), card(), ['v.mp4'])).toBeNull();
  });

  it('refuses content or embeds with the flag, a reference to a missing file, and more than 40 components', () => {
    const state = createFormsState();
    expect(v2Refusal(state, card({ content: 'hi' }), ['v.mp4'])?.status).toBe(400);
    expect(v2Refusal(state, card({ embeds: [{ title: 'x' }] }), ['v.mp4'])?.status).toBe(400);
    expect(v2Refusal(state, card(), ['other.mp4'])?.body.errors).toEqual(['attachment://v.mp4: no such attachment in this message']);
    const many = { flags: IS_COMPONENTS_V2, components: Array.from({ length: 41 }, () => ({ type: 10, content: 'x' })) };
    expect(v2Refusal(state, many, [])?.status).toBe(400);
  });

  it('refuses V2 components without the flag, and every V2 message when switched to refuse', () => {
    const state = createFormsState();
    expect(v2Refusal(state, { components: [{ type: 17, components: [] }] }, [])?.status).toBe(400);
    expect(v2Refusal(state, { content: 'plain', components: [{ type: 1, components: [] }] }, [])).toBeNull();
    state.refuseComponentsV2 = 403;
    expect(v2Refusal(state, card(), ['v.mp4'])?.status).toBe(403);
  });
});

describe('modals', () => {
  const upload = (extra: Json = {}): Json => ({ type: 18, label: 'Face', component: { type: 19, custom_id: 'face', ...extra } });

  it('accepts Labels holding a File Upload, a paragraph and a select', () => {
    const modal = {
      custom_id: 'm',
      title: 'Title',
      components: [
        upload({ min_values: 0, max_values: 1, required: false }),
        { type: 18, label: 'Text', component: { type: 4, custom_id: 't', style: 2, max_length: 4000 } },
        { type: 18, label: 'Voice', component: { type: 3, custom_id: 'v', options: [{ label: 'A', value: 'a' }] } },
      ],
    };
    expect(modalProblems(modal)).toEqual([]);
  });

  it('refuses a long title or label, six components, a text input over 4,000 or labelled inside a Label, and a required upload of none', () => {
    expect(modalProblems({ custom_id: 'm', title: 'x'.repeat(46), components: [upload()] })).toContain('title: 1-45 characters');
    expect(modalProblems({ custom_id: 'm', title: 't', components: [{ ...upload(), label: 'x'.repeat(46) }] })).toHaveLength(1);
    expect(
      modalProblems({ custom_id: 'm', title: 't', components: Array.from({ length: 6 }, (_, i) => upload({ custom_id: `f${i}` })) }),
    ).toContain('components: 1-5');
    const long = { type: 18, label: 'T', component: { type: 4, custom_id: 't', style: 2, max_length: 4001 } };
    expect(modalProblems({ custom_id: 'm', title: 't', components: [long] })).toHaveLength(1);
    const labelled = { type: 18, label: 'T', component: { type: 4, custom_id: 't', style: 1, label: 'again' } };
    expect(modalProblems({ custom_id: 'm', title: 't', components: [labelled] })).toHaveLength(1);
    expect(modalProblems({ custom_id: 'm', title: 't', components: [upload({ min_values: 0 })] })).toHaveLength(1);
  });
});
