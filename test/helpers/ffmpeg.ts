/**
 * The ffmpeg the media tests run through: the one the bot would choose (a 5.1+ on PATH, else
 * the bundled one), or FFMPEG_PATH when set, so the media tests can be run on either:
 * `FFMPEG_PATH=$(node -p "require('@ffmpeg-installer/ffmpeg').path") npx vitest run test/core/media`.
 */
import bundled from '@ffmpeg-installer/ffmpeg';
import { resolveFfmpeg } from '../../src/core/media/ffmpeg-binary.js';

export const testFfmpeg = resolveFfmpeg({ configured: process.env.FFMPEG_PATH });

/** The @ffmpeg-installer binary (the 2018 snapshot), the last resort the tests also cover. */
export const bundledFfmpegPath = bundled.path;
