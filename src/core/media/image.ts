import sharp from 'sharp';
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import type { MediaConfig } from './media-config.js';
import { baseMime, describeSniff, sniffBytes } from './sniff.js';
import { formatBytes } from './words.js';

/** A face image ready for the avatar service: an sRGB 8-bit JPEG without any metadata. */
export interface PreparedImage {
  data: Buffer;
  type: 'image/jpeg';
  width: number;
  height: number;
}

/** Formats sharp's prebuilt libvips decodes and we accept (HEIC and SVG are refused on purpose). */
const DECODABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);
const HEIF_FAMILY = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);
const JPEG_QUALITY = 88;

const SEND_JPEG = 'Please send a JPEG or PNG photo.';

/**
 * Checks and normalises a face image: sniffed by bytes, size- and pixel-capped, EXIF orientation
 * applied, metadata (EXIF, GPS, ICC, XMP) dropped, alpha flattened on white, first frame only,
 * scaled down to `imageMaxSide`, re-encoded as JPEG. Throws MediaError('image', ...).
 */
export async function prepareImage(config: MediaConfig, bytes: Uint8Array, log?: Logger): Promise<PreparedImage> {
  if (bytes.length === 0) throw new MediaError('image', 'EMPTY', 'The image is empty (0 bytes).');
  if (bytes.length > config.maxImageBytes) {
    throw new MediaError(
      'image',
      'TOO_LARGE',
      `The image is ${formatBytes(bytes.length)}; the limit is ${formatBytes(config.maxImageBytes)}.`,
    );
  }

  const sniff = await sniffBytes(bytes);
  const looks = describeSniff(sniff);
  if (sniff.kind === 'audio' || sniff.kind === 'video') {
    throw new MediaError(
      'image',
      'WRONG_KIND',
      `The image is not an image: it looks like ${looks ?? 'a sound or video file'}. Did you swap the picture and the voice note?`,
    );
  }
  if (sniff.kind !== 'image' || sniff.mime === null) {
    const what = looks === null ? 'its contents match no known picture format' : `it looks like ${looks}`;
    throw new MediaError('image', 'NOT_IMAGE', `The image is not a picture: ${what}. ${SEND_JPEG}`);
  }
  const mime = baseMime(sniff.mime);
  if (mime === 'image/svg+xml') {
    // SVG can carry script and external references: never rendered.
    throw new MediaError('image', 'UNSUPPORTED_FORMAT', `The image is an SVG drawing, which is not accepted. ${SEND_JPEG}`);
  }
  if (HEIF_FAMILY.has(mime)) {
    throw new MediaError(
      'image',
      'UNSUPPORTED_FORMAT',
      `The image is a HEIC photo, which cannot be read here. ${SEND_JPEG} (Most phones can share a photo as JPEG.)`,
    );
  }
  if (!DECODABLE.has(mime)) {
    throw new MediaError('image', 'UNSUPPORTED_FORMAT', `The image is ${looks ?? 'in a format'} that cannot be read here. ${SEND_JPEG}`);
  }

  const options = { limitInputPixels: config.maxImagePixels, failOn: 'truncated' as const, pages: 1 };
  try {
    // The header alone tells the pixel count: refuse a decompression bomb before decoding any of it.
    const meta = await sharp(bytes, options).metadata();
    const height = meta.pageHeight ?? meta.height;
    if (meta.width * height > config.maxImagePixels) throw tooManyPixels(meta.width, height, config.maxImagePixels);

    const { data, info } = await sharp(bytes, options)
      .rotate() // EXIF orientation, before the orientation tag is dropped with the rest of the metadata
      .resize({ width: config.imageMaxSide, height: config.imageMaxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { data, type: 'image/jpeg', width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof MediaError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    log?.debug({ err: message, mime: sniff.mime }, 'image decode failed');
    if (/pixel limit/i.test(message)) {
      throw new MediaError('image', 'TOO_MANY_PIXELS', `The image has too many pixels; the limit is ${megapixels(config.maxImagePixels)}.`, err);
    }
    if (/premature end|end of stream|truncat|unexpected end|not enough data|short read/i.test(message)) {
      throw new MediaError('image', 'TRUNCATED', 'The image is cut short: only part of the file arrived. Please send it again.', err);
    }
    throw new MediaError('image', 'CORRUPT', `The image is damaged and cannot be read. ${SEND_JPEG}`, err);
  }
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000)} megapixels`;
}

function tooManyPixels(width: number, height: number, limit: number): MediaError {
  return new MediaError(
    'image',
    'TOO_MANY_PIXELS',
    `The image is ${width} × ${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(limit)}.`,
  );
}
