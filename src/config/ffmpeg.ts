/**
 * Which ffmpeg reads voice notes and what each run may use. Unset FFMPEG_PATH: an ffmpeg 5.1+
 * on PATH, else the bundled one (src/core/media/ffmpeg-binary.ts decides, once).
 */
import type { CoreConfig } from '../core/config.js';
import { defaultFfmpegLimits } from '../core/media/ffmpeg-limits.js';
import { int, MB, optionalString, type EnvOf } from './env-values.js';

export const ffmpegEnv = {
  FFMPEG_PATH: optionalString,
  FFMPEG_MAX_MEMORY_MB: int(0, 1_048_576, defaultFfmpegLimits.memoryBytes / MB),
  FFMPEG_MAX_CPU_SECONDS: int(0, 86_400, defaultFfmpegLimits.cpuSeconds),
};

export function ffmpegSection(e: EnvOf<typeof ffmpegEnv>): Pick<CoreConfig, 'ffmpeg'> {
  return {
    ffmpeg: {
      path: e.FFMPEG_PATH,
      limits: { memoryBytes: e.FFMPEG_MAX_MEMORY_MB * MB, cpuSeconds: e.FFMPEG_MAX_CPU_SECONDS },
    },
  };
}
