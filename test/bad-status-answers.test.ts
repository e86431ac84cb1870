/**
 * The bot's engine and the CLI meet the same bad status answers from the same fake service, and
 * agree: each one ends as API_BAD_RESPONSE (the job fails at once, `render --sync` exits non-zero),
 * and neither reports a video.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bytesInput } from '../src/core/media-input.js';
import { voiceFile } from '../src/core/ports.js';
import { BAD_STATUS_ANSWERS } from './helpers/bad-status-answers.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { makeJpeg, makeTone } from './helpers/media.js';
import { recordingReply } from './helpers/recording-reply.js';
import { runTs } from './helpers/spawn.js';

let h: Harness;
const reply = recordingReply();
const dir = mkdtempSync(join(tmpdir(), 'tab-bad-answers-'));
const image = join(dir, 'face.jpg');
const audio = join(dir, 'voice.ogg');

beforeAll(async () => {
  // Slow renders: the scripted answer is the first poll's, before the task could complete on its own.
  h = await startHarness({ mockOptions: { renderMs: () => 30_000, queueMs: 10 } });
  h.core.registerReply('test', reply);
  await h.startCore();
  writeFileSync(image, await makeJpeg());
  writeFileSync(audio, await makeTone(1, 'ogg'));
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runTs('src/cli/index.ts', args, {
    cwd: dir,
    env: {
      AVATAR_API_URL: h.mock.url,
      AVATAR_API_KEY: 'cli-key',
      AVATAR_POLL_FIRST_SECONDS: '0.1',
      AVATAR_POLL_MAX_INTERVAL_SECONDS: '0.3',
      FACE_CONSENT: 'off',
    },
  });

describe.each(BAD_STATUS_ANSWERS)('a status answer with $name', ({ body }) => {
  test('the bot fails the job as API_BAD_RESPONSE after one poll, with no video', async () => {
    h.mock.failNext('status', { kind: 'answer', body });
    const job = await h.core.jobs.create({
      platform: 'test',
      requesterId: 'alice',
      groupId: 'team-1',
      replyTo: 'test:chan:1',
      image: bytesInput(await makeJpeg()),
      speech: voiceFile(bytesInput(await makeTone(1, 'ogg'))),
    });
    const final = await reply.waitForFinal(job.id);
    expect(final.kind).toBe('error');
    expect(final.kind === 'error' && final.error.code).toBe('API_BAD_RESPONSE');
    const view = await h.core.jobs.get(job.id);
    expect(view?.state).toBe('failed');
    expect(view?.fileUrl).toBeNull();
    // Ended at the bad answer: not polled on until the deadline.
    expect(h.mock.stats().statusCallsByTask[view?.taskId ?? '']).toBe(1);
  });

  test('the CLI --sync exits non-zero with the request error, and prints no final status', async () => {
    h.mock.failNext('status', { kind: 'answer', body });
    const r = await cli(['render', '--image', image, '--audio', audio, '--sync']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^Error generate a talking avatar video request: the status answer|^Error generate a talking avatar video request: the service said COMPLETED/,
    );
  });
});

test('the CLI `status` command refuses the answer of another task as well', async () => {
  const sub = await cli(['render', '--image', image, '--audio', audio]);
  const taskId = (JSON.parse(sub.stdout) as { data: { task_id: string } }).data.task_id;
  const other = BAD_STATUS_ANSWERS.find((a) => a.name === 'the answer of another task');
  if (other === undefined) throw new Error('the table lost its other-task row');
  h.mock.failNext('status', { kind: 'answer', body: other.body });
  const r = await cli(['status', taskId]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('another task');
});
