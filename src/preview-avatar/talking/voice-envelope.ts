/**
 * What the mouth does, from the voice: per 25 fps frame, how open (loudness) and how wide
 * (a coarse vowel shape: energy above ~1.5 kHz against below, "ee" wide, "oo" round), smoothed
 * so the jaw opens fast and closes a little slower, as a real one does.
 */
export const FPS = 25;
export const SAMPLE_RATE = 16_000;
const SAMPLES_PER_FRAME = SAMPLE_RATE / FPS;
/** Quieter than this (dBFS) is silence: room noise must not flap the jaw. */
const GATE_DB = -45;
/** Per-frame smoothing: how much of the gap to the target closes in one frame. */
const ATTACK = 0.65;
const RELEASE = 0.35;

export interface MouthTrack {
  /** 0 closed .. 1 fully open, one per frame. */
  open: Float32Array;
  /** -1 round .. 1 wide, one per frame. */
  wide: Float32Array;
  frames: number;
  seconds: number;
}

/** A one-pole low-pass coefficient for `hz` at the decoding rate. */
function lowPassCoefficient(hz: number): number {
  return 1 - Math.exp((-2 * Math.PI * hz) / SAMPLE_RATE);
}

/** Per-frame RMS of the whole signal and of its high band (above ~1.5 kHz). */
function frameEnergies(pcm: Int16Array, frames: number): { rms: Float32Array; highShare: Float32Array } {
  const rms = new Float32Array(frames);
  const highShare = new Float32Array(frames);
  const k = lowPassCoefficient(1500);
  let low = 0;
  for (let f = 0; f < frames; f++) {
    let all = 0;
    let high = 0;
    const end = Math.min(pcm.length, (f + 1) * SAMPLES_PER_FRAME);
    let n = 0;
    for (let i = f * SAMPLES_PER_FRAME; i < end; i++, n++) {
      const s = (pcm[i] ?? 0) / 32768;
      low += k * (s - low);
      const h = s - low;
      all += s * s;
      high += h * h;
    }
    rms[f] = n > 0 ? Math.sqrt(all / n) : 0;
    highShare[f] = all > 0 ? high / all : 0;
  }
  return { rms, highShare };
}

/** The 95th percentile of the voiced frames: loud and quiet recordings both reach "open". */
function loudReference(rms: Float32Array): number {
  const gate = 10 ** (GATE_DB / 20);
  const voiced = [...rms].filter((v) => v > gate).sort((a, b) => a - b);
  if (voiced.length === 0) return 1;
  return voiced[Math.floor(voiced.length * 0.95)] ?? voiced.at(-1) ?? 1;
}

/** Decoded mono s16le PCM at SAMPLE_RATE in, the mouth track out. */
export function mouthTrack(pcmBytes: Uint8Array): MouthTrack {
  const pcm = new Int16Array(pcmBytes.buffer.slice(pcmBytes.byteOffset, pcmBytes.byteOffset + (pcmBytes.byteLength & ~1)));
  const seconds = pcm.length / SAMPLE_RATE;
  const frames = Math.max(1, Math.round(seconds * FPS));
  const { rms, highShare } = frameEnergies(pcm, frames);
  const gateDb = GATE_DB;
  const refDb = 20 * Math.log10(Math.max(loudReference(rms), 1e-6));
  const open = new Float32Array(frames);
  const wide = new Float32Array(frames);
  let o = 0;
  let w = 0;
  for (let f = 0; f < frames; f++) {
    const db = 20 * Math.log10(Math.max(rms[f] ?? 0, 1e-6));
    // Linear in dB between the gate and the voice's own loud level: speech is logarithmic.
    const level = db <= gateDb ? 0 : Math.min(1, Math.max(0, (db - gateDb) / Math.max(6, refDb - gateDb)));
    // Squared: the jaw barely moves on soft sounds and opens on the loud vowels.
    const target = level * level;
    o += (target > o ? ATTACK : RELEASE) * (target - o);
    // High-band share ~0.05 for "oo", ~0.4+ for "ee" and fricatives.
    const wideTarget = target > 0 ? Math.min(1, Math.max(-1, ((highShare[f] ?? 0) - 0.15) * 5)) : 0;
    w += 0.3 * (wideTarget - w);
    open[f] = o < 0.02 ? 0 : o;
    wide[f] = w;
  }
  return { open, wide, frames, seconds };
}
