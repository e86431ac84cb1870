/** Inputs for the talking-preview tests: a drawn face with known landmarks and a voice. */
import sharp from 'sharp';

/** Where the drawn mouth is (512 px image): the region the tests measure. */
const MOUTH_REGION = { x0: 196, x1: 316, y0: 335, y1: 420 } as const;

/** A frontal cartoon face: skin ellipse, hair, white eyes with dark pupils, brows, nose, a closed mouth. */
export function makeFacePng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
<rect width="512" height="512" fill="#6a8caf"/>
<ellipse cx="256" cy="270" rx="150" ry="195" fill="#e0ac8a"/>
<ellipse cx="256" cy="110" rx="160" ry="80" fill="#3b2a1e"/>
<ellipse cx="200" cy="235" rx="26" ry="14" fill="#ffffff"/>
<ellipse cx="312" cy="235" rx="26" ry="14" fill="#ffffff"/>
<circle cx="200" cy="235" r="10" fill="#2a1a10"/>
<circle cx="312" cy="235" r="10" fill="#2a1a10"/>
<path d="M170 205 Q200 192 230 205" stroke="#3b2a1e" stroke-width="6" fill="none"/>
<path d="M282 205 Q312 192 342 205" stroke="#3b2a1e" stroke-width="6" fill="none"/>
<path d="M256 245 L244 305 Q256 315 268 305" stroke="#b07a5a" stroke-width="4" fill="none"/>
<path d="M212 355 Q256 372 300 355" stroke="#9a3b3b" stroke-width="8" fill="none" stroke-linecap="round"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A flat gray picture: no face in it. */
export function makeGrayPng(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();
}

/**
 * A mono 16 kHz WAV: `silence` seconds of nothing, then `speech` seconds of a speech-like
 * sound (a 180 Hz buzz with harmonics, its loudness swinging four times a second like syllables).
 */
export function makeSilenceThenSpeechWav(silence: number, speech: number, rate = 16_000): Buffer {
  const quiet = Math.round(silence * rate);
  const total = quiet + Math.round(speech * rate);
  const data = Buffer.alloc(total * 2);
  for (let i = quiet; i < total; i++) {
    const t = (i - quiet) / rate;
    const syllables = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t - Math.PI / 2);
    const buzz = Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t) + 0.3 * Math.sin(2 * Math.PI * 2200 * t);
    data.writeInt16LE(Math.round(buzz * syllables * 9000), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Mean absolute difference of two RGB24 frames inside the mouth region. */
export function mouthDifference(a: Uint8Array, b: Uint8Array, width: number): number {
  let sum = 0;
  let n = 0;
  for (let y = MOUTH_REGION.y0; y < MOUTH_REGION.y1; y++) {
    for (let x = MOUTH_REGION.x0; x < MOUTH_REGION.x1; x++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs((a[i + c] ?? 0) - (b[i + c] ?? 0));
      n += 3;
    }
  }
  return sum / n;
}
