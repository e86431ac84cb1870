/**
 * A stand-in for a 12-megapixel phone photo: smooth gradients and soft shapes (what JPEG
 * compresses well) plus sensor-like noise (what it does not), so the file lands near the 3-5 MB
 * a phone writes, and decoding costs what a real photo costs. Pure noise would be 3x larger;
 * a flat colour 50x smaller: neither measures anything.
 */
import sharp from 'sharp';
import { seededRandom } from './random.js';

export async function makePhoneJpeg(width = 4032, height = 3024, noise = 15, quality = 94): Promise<Buffer> {
  const random = seededRandom(12);
  const raw = Buffer.alloc(width * height * 3);
  let i = 0;
  for (let y = 0; y < height; y += 1) {
    const fy = y / height;
    for (let x = 0; x < width; x += 1) {
      const fx = x / width;
      // A "face-ish" blob and a lit background, then noise per channel.
      const dx = fx - 0.5;
      const dy = fy - 0.45;
      const blob = Math.exp(-(dx * dx + dy * dy) * 18);
      const wave = Math.sin(fx * 37 + fy * 11) * 12 + Math.sin(fy * 53) * 8;
      const base = [90 + 120 * blob + 40 * fy + wave, 70 + 90 * blob + 30 * fx + wave, 60 + 60 * blob + 50 * (1 - fy)];
      for (const c of base) {
        const v = c + (random() + random() + random() - 1.5) * noise;
        raw[i] = v < 0 ? 0 : Math.min(v, 255);
        i += 1;
      }
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}
