/**
 * The only place that reads process.env. dotenv loads `.env` (never overriding real
 * environment variables), then one zod schema, put together from the sections' variables,
 * validates everything; a bad or missing value stops start-up with every problem listed by
 * variable name. Secrets are never echoed.
 */
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import type { CoreConfig } from '../core/config.js';
import { coreEnv, coreProblems, coreSection } from './core.js';
import { discordEnv, discordSection } from './discord.js';
import { ffmpegEnv, ffmpegSection } from './ffmpeg.js';
import { playgroundEnv, playgroundProblems, playgroundSection } from './playground.js';
import { scaleEnv, scaleProblems, scaleSection } from './scale.js';
import { serverEnv, serverSection } from './server.js';
import { slackEnv, slackProblems, slackSection } from './slack.js';

/** Every variable the bot knows (.env.example documents each one). */
export const envSchema = z.object({ ...serverEnv, ...scaleEnv, ...coreEnv, ...ffmpegEnv, ...discordEnv, ...slackEnv, ...playgroundEnv });

type Env = z.output<typeof envSchema>;

function build(e: Env) {
  return {
    ...serverSection(e),
    ...scaleSection(e),
    ...coreSection(e),
    ...ffmpegSection(e),
    ...discordSection(e),
    ...slackSection(e),
    ...playgroundSection(e),
  };
}

/** The typed configuration every part of the bot receives. */
export type AppConfig = ReturnType<typeof build>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into AppConfig; throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value: it may be a secret.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  // Rules across variables, once each one is valid alone.
  const problems = [...coreProblems(e), ...slackProblems(e), ...scaleProblems(e), ...playgroundProblems(e)];
  if (problems.length > 0) throw new ConfigError(problems);
  return build(e);
}

/** Loads `.env` (if present) and parses process.env. */
export function loadConfig(): AppConfig {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/** The part of the configuration the core takes, in the core's own shape. */
export function coreConfigOf(config: AppConfig): CoreConfig {
  const { role, dataDir, redis, avatar, media, ffmpeg, limits, jobRetentionMs, speech, faceConsent, handover } = config;
  return {
    role,
    dataDir,
    redis,
    avatar,
    media,
    ffmpeg,
    limits,
    jobRetentionMs,
    speech,
    faceConsent,
    handover,
    publicUrl: config.http.publicUrl,
  };
}
