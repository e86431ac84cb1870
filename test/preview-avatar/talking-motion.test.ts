import { describe, expect, it } from 'vitest';
import { planMotion } from '../../src/preview-avatar/talking/motion-plan.js';
import { FPS, mouthTrack } from '../../src/preview-avatar/talking/voice-envelope.js';

/** Raw s16le mono 16 kHz: silence, then a 200 Hz tone. */
function pcm(silence: number, tone: number): Uint8Array {
  const rate = 16_000;
  const quiet = Math.round(silence * rate);
  const samples = new Int16Array(quiet + Math.round(tone * rate));
  for (let i = quiet; i < samples.length; i++) samples[i] = Math.round(Math.sin((2 * Math.PI * 200 * i) / rate) * 10_000);
  return new Uint8Array(samples.buffer);
}

describe('talking preview: the voice drives the mouth', () => {
  it('keeps the mouth shut in silence, opens it on sound, and closes it again after', () => {
    const track = mouthTrack(pcm(1, 1));
    expect(track.frames).toBe(2 * FPS);
    expect(track.seconds).toBe(2);
    expect(Math.max(...track.open.slice(0, FPS))).toBe(0);
    expect(Math.max(...track.open.slice(FPS + 3))).toBeGreaterThan(0.8);
    // Opening is faster than closing, but both happen within a few frames.
    expect(track.open[FPS + 3]).toBeGreaterThan(0.5);
  });

  it('has frames for a voice shorter than one frame', () => {
    const track = mouthTrack(pcm(0, 0.01));
    expect(track.frames).toBe(1);
  });
});

describe('talking preview: blinks and sway', () => {
  it('blinks every 3 to 6 seconds after the first, the same way for the same seed', () => {
    const poses = planMotion(60 * FPS, 512, 7);
    expect(planMotion(60 * FPS, 512, 7)).toEqual(poses);
    expect(planMotion(60 * FPS, 512, 8)).not.toEqual(poses);
    const starts = poses.flatMap((p, i) => (p.blink > 0 && (poses[i - 1]?.blink ?? 0) === 0 ? [i] : []));
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts[0]).toBeGreaterThanOrEqual(1 * FPS);
    expect(starts[0]).toBeLessThanOrEqual(3 * FPS);
    for (let i = 1; i < starts.length; i++) {
      const gap = (starts[i] ?? 0) - (starts[i - 1] ?? 0);
      expect(gap).toBeGreaterThanOrEqual(3 * FPS);
      expect(gap).toBeLessThanOrEqual(6 * FPS);
    }
  });

  it('sways the head by a few pixels only', () => {
    const poses = planMotion(30 * FPS, 512, 3);
    const reach = Math.max(...poses.map((p) => Math.hypot(p.dx, p.dy)));
    expect(reach).toBeGreaterThan(1);
    expect(reach).toBeLessThan(6);
  });
});
