import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeAvatarServer, type FakeAvatarServer } from './fakes/avatar/index.js';
import { makeJpeg, makeTone } from './helpers/media.js';
import { runTs } from './helpers/spawn.js';

let mock: FakeAvatarServer;
const dir = mkdtempSync(join(tmpdir(), 'tab-cli-speech-'));
const image = join(dir, 'face.jpg');
const audio = join(dir, 'voice.wav');

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: 'cli-key', renderMs: () => 300, queueMs: 10 });
  await mock.start();
  writeFileSync(image, await makeJpeg());
  writeFileSync(audio, await makeTone(1));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

// Not about consent: FACE_CONSENT is off here (test/cli.test.ts covers --consent).
const POLL = { AVATAR_POLL_FIRST_SECONDS: '0.1', AVATAR_POLL_MAX_INTERVAL_SECONDS: '0.3', FACE_CONSENT: 'off' };
/** The CLI against the fake service. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runTs('src/cli/index.ts', args, {
    cwd: dir,
    env: { AVATAR_API_URL: mock.url, AVATAR_API_KEY: 'cli-key', ...POLL, ...env },
  });
/** The CLI with no service configured: it starts the local preview server in its own process. */
const cliOnPreview = (args: string[]) => runTs('src/cli/index.ts', args, { cwd: dir, env: POLL });

const sentSince = (before: number) => mock.speechRequests().slice(before);

describe('talking-avatar CLI: typed text', () => {
  test('render --text --voice --sync speaks the text in that voice and renders it', async () => {
    const before = mock.speechRequests().length;
    const r = await cli(['render', '--image', image, '--text', '  Hello   from the command line. ', '--voice', 'preview-de', '--sync']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { data: { status: string } }).data.status).toBe('COMPLETED');
    expect(sentSince(before)).toEqual([
      { text: 'Hello from the command line.', voice_profile_id: 'preview-de', chinese_language: undefined, return_type: 'b64_audio_str' },
    ]);
  });

  test('without --voice: DEFAULT_VOICE_ID, else the first premade voice; a Chinese voice gets its variant', async () => {
    const before = mock.speechRequests().length;
    expect((await cli(['render', '--image', image, '--text', 'One.'])).code).toBe(0);
    expect((await cli(['render', '--image', image, '--text', 'Two.'], { DEFAULT_VOICE_ID: 'preview-fr' })).code).toBe(0);
    expect((await cli(['render', '--image', image, '--text', '你好', '--voice', 'preview-zh'])).code).toBe(0);
    expect(sentSince(before).map((s) => [s.text, s.voice_profile_id, s.chinese_language])).toEqual([
      ['One.', 'preview-en-us', undefined],
      ['Two.', 'preview-fr', undefined],
      ['你好', 'preview-zh', 'mandarin'],
    ]);
  });

  test('refuses empty, too long and unknown-voice text with words, before any speech is made', async () => {
    const before = mock.speechRequests().length;
    const empty = await cli(['render', '--image', image, '--text', '   ']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/nothing to say/i);
    const long = await cli(['render', '--image', image, '--text', 'This text is too long.'], { TEXT_MAX_CHARS: '10' });
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/22/);
    expect(long.stderr).toMatch(/10/);
    const unknown = await cli(['render', '--image', image, '--text', 'Hi.', '--voice', 'no-such-voice']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-voice');
    expect(unknown.stderr).toContain('talking-avatar voices');
    expect(sentSince(before)).toEqual([]);
  });

  test('a TTS failure is reported like a video failure, and nothing is submitted', async () => {
    const submits = mock.stats().submits;
    mock.failNext('tts', { kind: 'status', status: 402 });
    const r = await cli(['render', '--image', image, '--text', 'No credits.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error generate a talking avatar video request: 402/);
    expect(mock.stats().submits).toBe(submits);
  });

  test('exactly one of --audio and --text; --voice only with --text', async () => {
    const both = await cli(['render', '--image', image, '--audio', audio, '--text', 'Hi.']);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('exactly one of --audio and --text');
    expect((await cli(['render', '--image', image])).code).toBe(64);
    const voiceAlone = await cli(['render', '--image', image, '--audio', audio, '--voice', 'preview-de']);
    expect(voiceAlone.code).toBe(64);
    expect(voiceAlone.stderr).toContain('--voice goes with --text');
  });

  test('voices prints a table of id, name and languages, and --json the whole list', async () => {
    const table = await cli(['voices']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+LANGUAGES$/);
    expect(lines).toContainEqual(expect.stringMatching(/^preview-de\s+Preview voice · Deutsch\s+de$/));
    expect(lines).toContainEqual(expect.stringMatching(/^preview-zh\s+Preview voice · .*\s+zh, mandarin$/));
    const json = await cli(['voices', '--json']);
    const voices = JSON.parse(json.stdout) as Array<{ id: string; languages: string[]; sampleUrl: string; premade: boolean }>;
    expect(voices[0]).toMatchObject({ id: 'preview-en-us', premade: true, sampleUrl: `${mock.url}/files/voice-sample-preview-en-us.wav` });
    mock.failNext('voices', { kind: 'status', status: 401 });
    const refused = await cli(['voices']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/401/);
  });

  test('the help names --text, --voice and the voices command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toContain('--text <words> [--voice <id>]');
    expect(help.stderr).toContain('talking-avatar voices [--json]');
  });
});

describe('talking-avatar CLI on the local preview server (no service configured)', () => {
  test('render --text --sync makes a preview video of the spoken text; voices lists the preview voices', async () => {
    const r = await cliOnPreview(['render', '--image', image, '--text', 'Hello from the preview.', '--voice', 'preview-en-gb', '--sync']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('local preview server');
    const final = JSON.parse(r.stdout) as { data: { status: string; file_url: string; output_duration: number } };
    expect(final.data.status).toBe('COMPLETED');
    expect(final.data.file_url).toMatch(/preview-[a-z0-9]+\.mp4$/);
    expect(final.data.output_duration).toBeGreaterThan(0.5);
    const voices = await cliOnPreview(['voices']);
    expect(voices.code).toBe(0);
    expect(voices.stdout).toMatch(/^preview-en-us\s+Preview voice · English \(US\)\s+en, en-US$/m);
  });

  test('a failure after the speech was made still exits non-zero (the speech worker stops cleanly)', async () => {
    writeFileSync(join(dir, 'notes.png'), 'just text');
    const r = await cliOnPreview(['render', '--image', join(dir, 'notes.png'), '--text', 'Spoken, then refused.']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/image/i);
  });
});
