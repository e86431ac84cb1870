/**
 * `/avatar` on Slack tells the person their remaining daily quota when a quota is on, and
 * counts down as they make videos; with quotas off it says nothing about them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { quotaText } from '../../src/bots/slack/messages.js';
import { commandFields, mentionEnvelope } from '../fakes/slack/signer.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { ALICE, botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../bots/slack/world.js';

let w: SlackWorld;

beforeAll(async () => {
  w = await startWorld({ env: { QUOTA_PER_PERSON_DAILY: '3', QUOTA_PER_GROUP_DAILY: '10' } });
});

afterAll(async () => {
  await w?.stop();
});

async function avatar(user: string, text: string): Promise<string> {
  const res = await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text }));
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { text?: string }).text ?? '';
}

describe('slack /avatar quota line', () => {
  test('shows the remaining videos for the person and the workspace, and counts down', async () => {
    const before = await avatar(ALICE, '');
    expect(before).toMatch(/Make it talk/); // the help is still there
    expect(before).toContain('you have *3* of 3 videos left');
    expect(before).toContain('this workspace has *10* of 10 left');

    const ts = w.fake.nextTs();
    const files = [
      w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: await makeJpeg() }),
      w.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: await makeTone(1, 'wav') }),
    ];
    await w.signer.postEvent(
      mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user: ALICE, ts, text: 'talk', files, botUserId: w.fake.botUserId }),
    );
    await waitFor('result', () => botMessage(w.fake, ts, /ready/));

    const after = await avatar(ALICE, 'jobs');
    expect(after).toMatch(/Your last videos/);
    expect(after).toContain('you have *2* of 3 videos left');
    expect(after).toContain('this workspace has *9* of 10 left');
    // Someone else in the workspace: their own count is whole, the workspace's is shared.
    const other = await avatar('U0OTHER', 'face');
    expect(other).toContain('you have *3* of 3 videos left');
    expect(other).toContain('this workspace has *9* of 10 left');
  });

  test('quotaText is silent when no quota is on, and words a single-video quota', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const resetsAt = Date.UTC(2026, 0, 2);
    expect(quotaText({ personLimit: null, personRemaining: null, groupLimit: null, groupRemaining: null, resetsAt }, now)).toBeNull();
    const one = quotaText({ personLimit: 1, personRemaining: 0, groupLimit: null, groupRemaining: null, resetsAt }, now);
    expect(one).toBe('Today you have *0* of 1 video left. The count resets at midnight UTC (in about 12 h).');
  });
});
