import sharp from 'sharp';
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import type { MediaConfig } from './media-config.js';
import { baseMime, describeSniff, looksFact, sniffBytes } from './sniff.js';

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

/**
 * Checks and normalises a face image: sniffed by bytes, size- and pixel-capped, EXIF orientation
 * applied, metadata (EXIF, GPS, ICC, XMP) dropped, alpha flattened on white, first frame only,
 * scaled down to `imageMaxSide`, re-encoded as JPEG. Throws MediaError('image', ...).
 */
export async function prepareImage(config: MediaConfig, bytes: Uint8Array, log?: Logger): Promise<PreparedImage> {
  if (bytes.length === 0) throw new MediaError('image', 'EMPTY', 'image: empty file');
  if (bytes.length > config.maxImageBytes) {
    throw new MediaError('image', 'TOO_LARGE', `image: ${bytes.length} bytes over the limit of ${config.maxImageBytes}`, {
      facts: { found: bytes.length, limit: config.maxImageBytes },
    });
  }

  const sniff = await sniffBytes(bytes);
  const looks = describeSniff(sniff);
  if (sniff.kind === 'audio' || sniff.kind === 'video') {
    const found = `image: a ${sniff.kind} file (${sniff.mime ?? 'unknown type'})`;
    throw new MediaError('image', 'WRONG_KIND', found, { facts: looksFact(looks) });
  }
  if (sniff.kind !== 'image' || sniff.mime === null) {
    throw new MediaError('image', 'NOT_IMAGE', `image: not a picture (${sniff.mime ?? 'unknown type'})`, { facts: looksFact(looks) });
  }
  const mime = baseMime(sniff.mime);
  if (mime === 'image/svg+xml') {
    // SVG can carry script and external references: never rendered.
    throw new MediaError('image', 'UNSUPPORTED_FORMAT', 'image: SVG refused', { facts: { format: 'SVG' } });
  }
  if (HEIF_FAMILY.has(mime)) {
    throw new MediaError('image', 'UNSUPPORTED_FORMAT', `image: ${mime} cannot be decoded`, { facts: { format: 'HEIC' } });
  }
  if (!DECODABLE.has(mime)) {
    throw new MediaError('image', 'UNSUPPORTED_FORMAT', `image: ${mime} cannot be decoded`, { facts: looksFact(looks) });
  }

  const options = { limitInputPixels: config.maxImagePixels, failOn: 'truncated' as const, pages: 1 };
  try {
    // The header alone tells the pixel count: refuse a decompression bomb before decoding any of it.
    const meta = await sharp(bytes, options).metadata();
    const height = meta.pageHeight ?? meta.height;
    if (meta.width * height > config.maxImagePixels) throw tooManyPixels(meta.width, height, config.maxImagePixels);
    // Also from the header: a thumbnail or a 1x1 tracking pixel cannot hold a face, so it is
    // refused here rather than sent to (and billed by) the service. Rotation keeps the shortest side.
    if (Math.min(meta.width, height) < config.minImageSide) throw tooSmall(meta.width, height, config.minImageSide);

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
      throw new MediaError('image', 'TOO_MANY_PIXELS', `image: over the pixel limit of ${config.maxImagePixels}`, {
        facts: { limit: config.maxImagePixels },
        cause: err,
      });
    }
    if (/premature end|end of stream|truncat|unexpected end|not enough data|short read/i.test(message)) {
      throw new MediaError('image', 'TRUNCATED', 'image: truncated', { cause: err });
    }
    throw new MediaError('image', 'CORRUPT', 'image: decode failed', { cause: err });
  }
}

function tooSmall(width: number, height: number, min: number): MediaError {
  return new MediaError('image', 'TOO_SMALL', `image: ${width} x ${height} pixels, under the shortest side of ${min}`, {
    facts: { width, height, min },
  });
}

function tooManyPixels(width: number, height: number, limit: number): MediaError {
  return new MediaError('image', 'TOO_MANY_PIXELS', `image: ${width} x ${height} pixels over the limit of ${limit}`, {
    facts: { width, height, limit },
  });
}
