import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeAvatarServer, type FakeAvatarServer } from './fakes/avatar/index.js';
import { makeJpeg, makeTone } from './helpers/media.js';
import { runTs } from './helpers/spawn.js';

let mock: FakeAvatarServer;
const dir = mkdtempSync(join(tmpdir(), 'tab-cli-'));
const image = join(dir, 'face.jpg');
const audio = join(dir, 'voice.ogg');

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: 'cli-key', renderMs: () => 400, queueMs: 10 });
  await mock.start();
  writeFileSync(image, await makeJpeg());
  writeFileSync(audio, await makeTone(1, 'ogg'));
  writeFileSync(join(dir, 'notes.png'), 'just text');
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  runTs('src/cli/index.ts', args, {
    cwd: dir,
    env: {
      AVATAR_API_URL: mock.url,
      AVATAR_API_KEY: 'cli-key',
      AVATAR_POLL_FIRST_SECONDS: '0.1',
      AVATAR_POLL_MAX_INTERVAL_SECONDS: '0.3',
      // The tests below not about consent run without it; the consent test sets it.
      FACE_CONSENT: 'off',
      ...env,
    },
  });

describe('talking-avatar CLI', () => {
  test('render (async) prints the service first answer with the task id', async () => {
    const r = await cli(['render', '--image', image, '--audio', audio]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { data: { task_id: string; status: string } };
    expect(answer.data.task_id).toMatch(/\w+/);
    // Not final yet; which of the two depends on how long the submit took (the fake queues for 10 ms).
    expect(['IN_QUEUE', 'IN_PROGRESS']).toContain(answer.data.status);

    const st = await cli(['status', answer.data.task_id]);
    expect(st.code).toBe(0);
    expect((JSON.parse(st.stdout) as { data: { task_id: string } }).data.task_id).toBe(answer.data.task_id);
  });

  test('render --sync waits and prints the final status with the file URL', async () => {
    const r = await cli(['render', '--image', image, '--audio', audio, '--sync']);
    expect(r.code).toBe(0);
    const final = JSON.parse(r.stdout) as { data: { status: string; file_url: string } };
    expect(final.data.status).toBe('COMPLETED');
    expect(final.data.file_url).toMatch(/\.mp4$/);
  });

  test('--sync with a FAILED task exits non-zero and prints the status', async () => {
    mock.nextOutcome({ status: 'FAILED', error: 'no face found' });
    const r = await cli(['render', '--image', image, '--audio', audio, '--sync']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { data: { status: string; error: string } }).data).toMatchObject({
      status: 'FAILED',
      error: 'no face found',
    });
  });

  test('--timeout bounds the wait on a stuck task', async () => {
    mock.nextOutcome({ status: 'STUCK' });
    const r = await cli(['render', '--image', image, '--audio', audio, '--sync', '--timeout', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no final status within 2 s');
  });

  test('failures print the message and exit non-zero', async () => {
    const bad = await cli(['render', '--image', join(dir, 'notes.png'), '--audio', audio]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/image/i);

    const key = await cli(['render', '--image', image, '--audio', audio], { AVATAR_API_KEY: 'nope-wrong' });
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^Error generate a talking avatar video request: 401/);
    expect(key.stderr).not.toContain('nope-wrong');

    mock.failNext('submit', { kind: 'status', status: 200, body: { data: {} } });
    const none = await cli(['render', '--image', image, '--audio', audio]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('Failed to get valid task_id from server.');

    const usage = await cli(['render', '--image', image]);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('--audio');
  });

  test('render asks for --consent unless FACE_CONSENT=off, before anything is sent', async () => {
    const before = mock.stats().submits;
    const asked = await cli(['render', '--image', image, '--audio', audio], { FACE_CONSENT: 'once' });
    expect(asked.code).toBe(1);
    expect(asked.stderr.trim()).toBe(
      'Before I make a video of a face, please confirm that it is yours or that you have permission to use it. Nothing was sent yet. Add --consent to confirm that this is your face or that you have permission to use it.',
    );
    expect(mock.stats().submits).toBe(before);
    const given = await cli(['render', '--image', image, '--audio', audio, '--consent'], { FACE_CONSENT: 'once' });
    expect(given.code).toBe(0);
    expect(mock.stats().submits).toBe(before + 1);
  });

  test('a bad configuration names the variable', async () => {
    const r = await cli(['status', 'x'], { AVATAR_TIMEOUT_SECONDS: '9999' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AVATAR_TIMEOUT_SECONDS');
  });
});
