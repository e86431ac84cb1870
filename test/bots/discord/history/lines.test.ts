/** The history lines in Discord's markup, and how ten of them are fitted into one message. */
import { describe, expect, it } from 'vitest';
import { historyContent, repostRows } from '../../../../src/bots/discord/history/lines.js';
import type { JobView } from '../../../../src/core/ports.js';
import { historyLine } from '../../../../src/bots/shared/words/history.js';
import { DISCORD_HISTORY_STYLE } from '../../../../src/bots/discord/history/lines.js';

function job(i: number, over: Partial<JobView> = {}): JobView {
  const t = Date.UTC(2026, 10, 30, 12) - i * 60_000;
  return {
    id: `job-${i}`,
    platform: 'discord',
    requesterId: '1',
    groupId: '2',
    replyTo: 'discord:2:3:-',
    replyState: null,
    state: 'completed',
    taskId: 't',
    taskStatus: 'COMPLETED',
    fileUrl: `https://cdn.example/${i}.mp4`,
    outputDuration: 3,
    audioSeconds: 3,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt: t,
    updatedAt: t,
    submittedAt: t,
    finishedAt: t,
    etaAt: null,
    renderStartedAt: t,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: true,
    preview: false,
    ...over,
  };
}

describe('history lines', () => {
  it('say the state in words, the time as a Discord timestamp, and the spoken text short and inert', () => {
    const text = 'Say *this* to <@123> please, and then keep talking for quite a long while more';
    const line = historyLine(job(1, { spokenText: text }), DISCORD_HISTORY_STYLE, { n: 1 });
    expect(line).toMatch(/^\*\*1\.\*\* ready · <t:\d+:R> · \[video\]\(<https:\/\/cdn\.example\/1\.mp4>\) · “/);
    expect(line).toContain('\\*this\\*');
    expect(line).toContain('\\<\\@123\\>');
    expect(line).toContain('…”');
    expect(historyLine(job(2, { state: 'submitted', taskStatus: 'IN_QUEUE', renderStartedAt: null }), DISCORD_HISTORY_STYLE)).toMatch(
      /^waiting at the avatar service · /,
    );
    expect(historyLine(job(3, { state: 'submitted', taskStatus: 'IN_PROGRESS' }), DISCORD_HISTORY_STYLE)).toMatch(/^rendering · /);
    expect(historyLine(job(4, { state: 'timed_out', fileUrl: null }), DISCORD_HISTORY_STYLE)).toMatch(/^timed out · <t:\d+:R>$/);
  });

  it('ten long signed links are fitted under 2,000 characters: quotes go first, then the oldest links', () => {
    const long = Array.from({ length: 10 }, (_, i) =>
      job(i, { fileUrl: `https://cdn.example/${'x'.repeat(300)}${i}.mp4`, spokenText: 'words '.repeat(20) }),
    );
    const content = historyContent(long);
    expect(content.length).toBeLessThanOrEqual(2000);
    const lines = content.split('\n').filter((l) => l.startsWith('**'));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain(`${'x'.repeat(300)}0.mp4`);
    expect(lines[9]).toContain('link: post it to see it');
    // Every video still has its Post button, which posts the whole link.
    expect(repostRows(long).flatMap((r) => r.components)).toHaveLength(10);
  });

  it('Post buttons: only finished videos with a link, five to a row', () => {
    const list = [job(1), job(2, { state: 'failed', fileUrl: null }), ...Array.from({ length: 6 }, (_, i) => job(i + 3))];
    const rows = repostRows(list);
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
    expect(rows[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual(['Post 1', 'Post 3', 'Post 4', 'Post 5', 'Post 6']);
  });
});
