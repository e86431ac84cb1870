#!/usr/bin/env node
/**
 * talking-avatar: render | status | discord register | doctor. Reads the same configuration as
 * the bot (.env + environment). With no AVATAR_API_KEY and no AVATAR_API_URL, `render` runs
 * against the local preview server started in this process (use --sync: the task lives only
 * while the command runs).
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, coreConfigOf, loadConfig, type AppConfig } from '../config/index.js';
import { createAvatarApi } from '../core/avatar-api.js';
import { toAvatarError } from '../core/errors.js';
import { mediaConfigOf } from '../core/index.js';
import { resolveFfmpeg, type FfmpegBinary } from '../core/media/ffmpeg-binary.js';
import { createMediaPreparer } from '../core/media/index.js';
import { createPreviewAvatarServer, type PreviewAvatarServer } from '../preview-avatar/index.js';
import { runRender, type CliIo } from './render.js';

const USAGE = `Usage:
  talking-avatar render --image <file> --audio <file> [--sync] [--timeout <s>] [--webhook-url <url>] [--webhook-token <token>]
  talking-avatar status <task_id>
  talking-avatar discord register [--guild <id>]
  talking-avatar doctor
`;

const io: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t),
  tty: process.stderr.isTTY === true,
};

/** The ffmpeg the bot would use (the same choice), with its warning on stderr when it is not a maintained one. */
function chooseFfmpeg(config: AppConfig): FfmpegBinary {
  const ffmpeg = resolveFfmpeg({ configured: config.ffmpeg.path, limits: config.ffmpeg.limits });
  if (ffmpeg.warning !== undefined) io.err(`Warning: ${ffmpeg.warning}.\n`);
  return ffmpeg;
}

async function avatarEndpoint(config: AppConfig, ffmpeg: FfmpegBinary): Promise<{ url: string; preview?: PreviewAvatarServer }> {
  if (config.avatar.apiUrl !== undefined) return { url: config.avatar.apiUrl };
  const preview = createPreviewAvatarServer({ ffmpegPath: ffmpeg.path, ffmpegLimits: config.ffmpeg.limits });
  await preview.start();
  io.err(`Using the local preview server at ${preview.url} (no lip sync). Set AVATAR_API_KEY to use the real service.\n`);
  return { url: preview.url, preview };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const logger = pino({ level: 'silent' });

  if (command === 'render') {
    const { values } = parseArgs({
      args: rest,
      options: {
        image: { type: 'string' },
        audio: { type: 'string' },
        sync: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-token': { type: 'string' },
      },
      strict: true,
    });
    if (values.image === undefined || values.audio === undefined) {
      io.err(`render needs --image and --audio\n${USAGE}`);
      return 64;
    }
    const timeoutSeconds = values.timeout === undefined ? config.avatar.timeoutMs / 1000 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 2 || timeoutSeconds > 600) {
      io.err('--timeout must be a number of seconds from 2 to 600\n');
      return 64;
    }
    const ffmpeg = chooseFfmpeg(config);
    const { url, preview } = await avatarEndpoint(config, ffmpeg);
    try {
      const { apiKey, requestTimeoutMs } = config.avatar;
      const api = createAvatarApi({ baseUrl: url, apiKey, requestTimeoutMs }, { logger });
      const media = createMediaPreparer(mediaConfigOf(coreConfigOf(config)), { ffmpegPath: ffmpeg.path });
      return await runRender(
        {
          image: values.image,
          audio: values.audio,
          sync: values.sync,
          timeoutSeconds,
          webhookUrl: values['webhook-url'],
          webhookToken: values['webhook-token'],
        },
        {
          api,
          media,
          io,
          limits: { imageBytes: config.media.maxImageBytes, audioBytes: config.media.maxAudioBytes },
          renderRatio: config.avatar.renderRatio,
          pollMaxMs: config.avatar.pollMaxIntervalMs,
        },
      );
    } finally {
      await preview?.close();
    }
  }

  if (command === 'status') {
    const taskId = rest[0];
    if (taskId === undefined || taskId.startsWith('-')) {
      io.err(`status needs a task id\n${USAGE}`);
      return 64;
    }
    if (config.avatar.apiUrl === undefined) {
      io.err(
        'No AVATAR_API_URL or AVATAR_API_KEY is set: there is no service to ask ' +
          '(the local preview server keeps tasks only while it runs).\n',
      );
      return 1;
    }
    try {
      const { apiUrl, apiKey, requestTimeoutMs } = config.avatar;
      const api = createAvatarApi({ baseUrl: apiUrl, apiKey, requestTimeoutMs }, { logger });
      const st = await api.status(taskId);
      io.out(JSON.stringify(st.raw, null, 2));
      return 0;
    } catch (err) {
      io.err(`${toAvatarError(err).message}\n`);
      return 1;
    }
  }

  if (command === 'discord' && rest[0] === 'register') {
    const { values } = parseArgs({ args: rest.slice(1), options: { guild: { type: 'string' } }, strict: true });
    if (config.discord === undefined) {
      io.err('DISCORD_TOKEN is not set.\n');
      return 1;
    }
    const { registerDiscordCommands } = await import('../bots/discord/index.js');
    try {
      const r = await registerDiscordCommands(config.discord, values.guild === undefined ? {} : { guildId: values.guild }, { logger });
      const where =
        r.scope === 'guild' ? `in server ${values.guild ?? ''}, available now` : 'globally; they can take up to an hour to appear';
      io.out(`Registered ${r.count} commands (${where}).`);
      return 0;
    } catch (err) {
      io.err(`Could not register the commands: ${toAvatarError(err).message}\n`);
      return 1;
    }
  }

  if (command === 'doctor') {
    const { runDoctor } = await import('./doctor.js');
    return runDoctor(config, io);
  }

  io.err(USAGE);
  return command === undefined || command === '--help' || command === 'help' ? 0 : 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
