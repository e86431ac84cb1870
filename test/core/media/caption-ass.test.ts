import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { burnLimits, filterPath, videoSize } from '../../../src/core/media/burn-captions.js';
import { assScript, assText, assTime, captionLayout, cueScreens, wrapWords } from '../../../src/core/media/caption-ass.js';
import { runFfmpeg } from '../../../src/core/media/ffmpeg.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';

describe('the caption layout', () => {
  it('is about 1/18 of the height for landscape and square videos, narrower for portrait ones', () => {
    expect(captionLayout(1280, 720).fontSize).toBe(40);
    expect(captionLayout(512, 512).fontSize).toBe(28);
    const portrait = captionLayout(720, 1280);
    expect(portrait.fontSize).toBeLessThan(1280 / 18);
    expect(portrait.lineChars).toBeGreaterThanOrEqual(18);
    expect(captionLayout(1280, 720).lineChars).toBeGreaterThanOrEqual(40);
  });
});

describe('cues as screens of at most two lines', () => {
  it('wraps at word boundaries and cuts only a word longer than a line', () => {
    expect(wrapWords('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
    expect(wrapWords('see https://example.invalid/long/path', 12)).toEqual(['see', 'https://exam', 'ple.invalid/', 'long/path']);
    expect(wrapWords('  ', 10)).toEqual([]);
  });

  it('a short cue is one screen with its own line break kept', () => {
    expect(cueScreens({ start: 1, end: 2, text: 'Hello there,\nfriend' }, 30)).toEqual([
      { start: 1, end: 2, text: 'Hello there,\nfriend' },
    ]);
  });

  it('given lines too long for the picture flow anew rather than leave a word alone on a screen', () => {
    const screens = cueScreens({ start: 0, end: 4, text: 'Hello there, this is a caption\nfor a portrait video' }, 20);
    expect(screens.map((s) => s.text)).toEqual(['Hello there, this is\na caption for a', 'portrait video']);
  });

  it('a long cue becomes several screens of at most two lines that share its time, every word kept', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    const screens = cueScreens({ start: 10, end: 16, text }, 10);
    expect(screens.length).toBeGreaterThan(1);
    for (const s of screens) expect(s.text.split('\n').length).toBeLessThanOrEqual(2);
    expect(screens[0]?.start).toBe(10);
    expect(screens.at(-1)?.end).toBe(16);
    for (let i = 1; i < screens.length; i++) expect(screens[i]?.start).toBe(screens[i - 1]?.end);
    expect(screens.map((s) => s.text.replace(/\n/g, ' ')).join(' ')).toBe(text);
  });
});

describe('the ASS script', () => {
  it('writes times as H:MM:SS.cc', () => {
    expect(assTime(0)).toBe('0:00:00.00');
    expect(assTime(61.257)).toBe('0:01:01.26');
    expect(assTime(3725.5)).toBe('1:02:05.50');
  });

  it("keeps a person's braces and backslashes from becoming ASS commands", () => {
    expect(assText('{\\pos(0,0)}hi')).toBe('(\\\u2060pos(0,0))hi');
    expect(assText('a\\Nb')).not.toContain('\\N');
    expect(assText('one\ntwo')).toBe('one\\Ntwo');
    expect(assText('bell\u0007')).toBe('bell ');
  });

  it('lays out for the video, bottom centre for captions and top right for the mark, and skips cues with no time or words', () => {
    const script = assScript(
      [
        { start: 0.5, end: 1.5, text: 'Hi' },
        { start: 2, end: 2, text: 'never shown' },
        { start: 3, end: 4, text: ' ' },
      ],
      1280,
      720,
      true,
    );
    expect(script).toContain('PlayResX: 1280\nPlayResY: 720');
    const caption = script
      .split('\n')
      .find((l) => l.startsWith('Style: Caption,'))
      ?.split(',');
    expect(caption?.[18]).toBe('2'); // Alignment: bottom centre
    const mark = script
      .split('\n')
      .find((l) => l.startsWith('Style: Mark,'))
      ?.split(',');
    expect(mark?.[18]).toBe('9'); // Alignment: top right
    expect(mark?.[15]).toBe('3'); // BorderStyle: a box behind the text
    const events = script.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events).toEqual(['Dialogue: 0,0:00:00.50,0:00:01.50,Caption,,0,0,0,,Hi', 'Dialogue: 1,0:00:00.00,10:00:00.00,Mark,,0,0,0,,AI']);
  });
});

describe("the burn's caps", () => {
  it('keep the configured memory cap, but a CPU cap sized for voice notes cannot end a burn before its wall-clock cap', () => {
    const voiceNotes = { memoryBytes: 1024 * 1024 * 1024, cpuSeconds: 30 };
    const limits = burnLimits(voiceNotes, 120_000);
    expect(limits.memoryBytes).toBe(voiceNotes.memoryBytes);
    // Two busy cores for the whole two minutes at least (this machine has two or more).
    expect(limits.cpuSeconds).toBeGreaterThanOrEqual(240);
    expect(burnLimits({ memoryBytes: 0, cpuSeconds: 100_000 }, 1000).cpuSeconds).toBe(100_000);
  });
});

describe("reading ffmpeg's report and writing its filter", () => {
  it("reads the input picture's size, turned when the file asks for a quarter turn", () => {
    const report = [
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'in.mp4':",
      '  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1280x720 [SAR 1:1 DAR 16:9], 25 fps',
      "Output #0, mp4, to 'out.mp4':",
      '  Stream #0:0(und): Video: h264 (avc1 / 0x31637661), yuv420p(progressive), 640x360',
    ].join('\n');
    expect(videoSize(report)).toEqual({ width: 1280, height: 720 });
    const turned = report.replace('25 fps', '25 fps\n    Side data:\n      displaymatrix: rotation of -90.00 degrees');
    expect(videoSize(turned)).toEqual({ width: 720, height: 1280 });
    expect(videoSize('  Stream #0:0: Audio: aac (LC), 44100 Hz, mono')).toBeNull();
  });

  it('a script in a folder whose name holds the characters a filtergraph treats as syntax still loads', async () => {
    const root = await mkdtemp(join(tmpdir(), 'test-ass-'));
    try {
      const odd = join(root, "a:b'c[d],e;f\\g h");
      await mkdir(odd);
      const script = join(odd, 'captions.ass');
      await writeFile(script, assScript([{ start: 0, end: 1, text: 'Hi' }], 64, 64, false));
      const args = [
        '-f',
        'lavfi',
        '-i',
        'color=size=64x64:duration=0.2',
        '-vf',
        `subtitles=filename=${filterPath(script)}`,
        '-f',
        'null',
        '-',
      ];
      const { stderr } = await runFfmpeg(ffmpeg.path, args, { timeoutMs: 30_000 });
      expect(stderr).toMatch(/fontselect: \(DejaVu Sans/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
