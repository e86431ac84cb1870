#!/usr/bin/env node
/**
 * talking-avatar: render | voices | status | discord register | doctor. Reads the same
 * configuration as the bot (.env + environment). With no AVATAR_API_KEY and no AVATAR_API_URL,
 * `render` and `voices` run against the local preview server started in this process (use
 * --sync: the task lives only while the command runs; its voices are robotic "Preview voice"s).
 *
 *   talking-avatar render --image face.jpg --audio note.ogg --consent --sync
 *   talking-avatar render --image face.jpg --text "Hello from the bot" --voice <id> --consent --sync
 *   talking-avatar voices            (id, name, languages; --json for everything)
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
import { runVoices } from './voices.js';

const USAGE = `Usage:
  talking-avatar render --image <file> (--audio <file> | --text <words> [--voice <id>]) [--sync] [--timeout <s>]
                        [--webhook-url <url>] [--webhook-token <token>] [--consent]
  talking-avatar voices [--json]
  talking-avatar status <task_id>
  talking-avatar discord register [--guild <id>]
  talking-avatar doctor
`;

const USAGE_NOTES = `
  --text speaks the words in a voice of the service (--voice, else DEFAULT_VOICE_ID, else the first
  premade one); "voices" lists their ids. Give exactly one of --audio and --text.
  --consent confirms the face is yours or that you may use it (needed unless FACE_CONSENT=off).
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

/** The configured service, or a preview server started here (rendering off when only voices are asked for). */
async function avatarEndpoint(config: AppConfig, ffmpeg: FfmpegBinary | null): Promise<{ url: string; preview?: PreviewAvatarServer }> {
  if (config.avatar.apiUrl !== undefined) return { url: config.avatar.apiUrl };
  const preview = createPreviewAvatarServer(
    ffmpeg === null ? { render: false } : { ffmpegPath: ffmpeg.path, ffmpegLimits: config.ffmpeg.limits },
  );
  await preview.start();
  io.err(`Using the local preview server at ${preview.url} (a rough offline preview). Set AVATAR_API_KEY to use the real service.\n`);
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
        text: { type: 'string' },
        voice: { type: 'string' },
        sync: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-token': { type: 'string' },
        consent: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.image === undefined || (values.audio === undefined) === (values.text === undefined)) {
      io.err(`render needs --image and exactly one of --audio and --text\n${USAGE}`);
      return 64;
    }
    if (values.voice !== undefined && values.text === undefined) {
      io.err(`--voice goes with --text (a voice file speaks in its own voice)\n${USAGE}`);
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
          speech: values.audio !== undefined ? { audio: values.audio } : { text: values.text ?? '', voiceId: values.voice },
          sync: values.sync,
          timeoutSeconds,
          webhookUrl: values['webhook-url'],
          webhookToken: values['webhook-token'],
          faceConsent: values.consent,
        },
        {
          api,
          media,
          io,
          limits: { imageBytes: config.media.maxImageBytes, audioBytes: config.media.maxAudioBytes },
          renderRatio: config.avatar.renderRatio,
          pollMaxMs: config.avatar.pollMaxIntervalMs,
          speech: { textMaxChars: config.speech.textMaxChars, defaultVoiceId: config.speech.defaultVoiceId },
          consentMode: config.faceConsent,
        },
      );
    } finally {
      await preview?.close();
    }
  }

  if (command === 'voices') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, strict: true });
    const { url, preview } = await avatarEndpoint(config, null);
    try {
      const { apiKey, requestTimeoutMs } = config.avatar;
      return await runVoices(createAvatarApi({ baseUrl: url, apiKey, requestTimeoutMs }, { logger }), io, values.json);
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

  io.err(USAGE + USAGE_NOTES);
  return command === undefined || command === '--help' || command === 'help' ? 0 : 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
