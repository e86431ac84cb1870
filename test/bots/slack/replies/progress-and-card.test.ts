/**
 * Slack's progress line (its emoji around the shared sentence, the preview note) and the result
 * card's context line (length, AI-generated disclosure, preview note).
 */
import { PREVIEW_VIDEO_NOTE } from '../../../../src/bots/shared/words/result-card.js';
import { describe, expect, it } from 'vitest';
import { progressMessage } from '../../../../src/bots/slack/messages.js';
import { resultMessage } from '../../../../src/bots/slack/replies/result-card.js';
import { failedJob } from '../../shared/job-view.js';

const job = failedJob({ platform: 'slack', state: 'submitted' });
const preview = failedJob({ platform: 'slack', state: 'submitted', preview: true });

function contextOf(blocks: unknown[]): string {
  const ctx = blocks.find((b) => (b as { type?: unknown }).type === 'context') as { elements: { text: string }[] } | undefined;
  return ctx?.elements.map((e) => e.text).join(' ') ?? '';
}

describe('slack progress words', () => {
  it('waiting at the service: no clock of rendering, no ETA', () => {
    expect(progressMessage(job, { state: 'waiting', elapsedMs: 65_000 }).text).toBe(
      ':hourglass: Sent. Waiting at the avatar service for rendering to start… 1:05 so far.',
    );
  });

  it('rendering: timed from the start of rendering, with what is left; the preview note in preview mode', () => {
    const update = { state: 'rendering' as const, elapsedMs: 90_000, renderingMs: 12_000, etaMs: 20_000 };
    expect(progressMessage(job, update).text).toBe(':clapper: Rendering your talking avatar… 0:12 so far, about 0:20 left.');
    expect(progressMessage(preview, update).text).toBe(
      `:clapper: Rendering your talking avatar… 0:12 so far, about 0:20 left. (${PREVIEW_VIDEO_NOTE})`,
    );
  });

  it('queued in the bot’s own line: its place', () => {
    expect(progressMessage(job, { state: 'queued', queuePosition: 2, elapsedMs: 1000 }).text).toBe(
      ':hourglass_flowing_sand: Queued: you are number 2 in line.',
    );
  });
});

describe('slack result card', () => {
  const url = 'https://example.invalid/v.mp4';
  it('says the length and that the video is AI-generated, in the blocks and the notification text', () => {
    const m = resultMessage(job, { fileUrl: url, outputDuration: 12.4, preview: false }, { video: true, captions: false });
    expect(contextOf(m.blocks)).toBe('12 s · AI-generated');
    expect(m.text).toContain('AI-generated');
    expect(m.text).toContain(`<${url}|open the video>`);
  });

  it('adds the preview note in preview mode, and takes the speech’s length when the service gives none', () => {
    const m = resultMessage(
      failedJob({ audioSeconds: 3 }),
      { fileUrl: url, outputDuration: null, preview: true },
      { video: false, captions: false },
    );
    expect(contextOf(m.blocks)).toBe(`3 s · AI-generated · ${PREVIEW_VIDEO_NOTE}`);
    expect(m.text).not.toContain('attached');
  });

  it('quotes typed text, escaped, and leaves the quote out for a voice clip', () => {
    const typed = resultMessage(
      failedJob({ spokenText: 'Hi <team> & co' }),
      { fileUrl: url, outputDuration: 1, preview: false },
      { video: false, captions: false },
    );
    expect(JSON.stringify(typed.blocks)).toContain('“Hi &lt;team&gt; &amp; co”');
    const clip = resultMessage(
      failedJob({ spokenText: null }),
      { fileUrl: url, outputDuration: 1, preview: false },
      { video: false, captions: false },
    );
    expect(JSON.stringify(clip.blocks)).not.toContain(':speech_balloon:');
  });
});
