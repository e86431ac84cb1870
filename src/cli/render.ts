/**
 * `talking-avatar render`: the original workflow node as a command. Async prints the service's
 * first answer (with the task id); --sync waits for a final status (or the timeout) and prints
 * it. Non-zero exit with the message on failure.
 */
import { readFile } from 'node:fs/promises';
import { AvatarError, MediaError, toAvatarError } from '../core/errors.js';
import { asTextRefusal } from '../core/jobs/speech.js';
import type { AvatarApi, StatusAnswer } from '../core/ports.js';
import type { MediaPreparer } from '../core/media/index.js';
import { estimateEta, nextPollDelay, defaultPollPlan } from '../core/schedule/policy.js';
import { CLI_MAKING_VOICE, CLI_STYLE } from '../bots/shared/words/cli.js';
import { CLI_CONSENT_HOWTO } from '../bots/shared/words/consent.js';
import { errorSentence } from '../bots/shared/words/errors.js';
import { speakText, type TextSpeech } from './speak-text.js';
import { waitForStatus } from './wait-for-status.js';

/** Errors whose sentence for people says more than the workflow's wording: the file or text refused, the voice unknown. */
const WORDED = new Set(['INVALID_TEXT', 'UNKNOWN_VOICE']);

export interface RenderOptions {
  image: string;
  /** Exactly one of a voice file and typed text. */
  speech: { audio: string } | TextSpeech;
  sync: boolean;
  timeoutSeconds: number;
  webhookUrl?: string;
  webhookToken?: string;
  /** --consent: the person confirms this is their face or that they may use it (FACE_CONSENT). */
  faceConsent: boolean;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: show a live progress line. */
  tty: boolean;
}

async function readInput(path: string, what: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.byteLength > maxBytes) {
      const facts = { found: bytes.byteLength, limit: maxBytes };
      throw new MediaError(what === 'image' ? 'image' : 'audio', 'TOO_LARGE', `${what}: file over the limit`, { facts });
    }
    return bytes;
  } catch (err) {
    if (err instanceof AvatarError) throw err;
    throw new AvatarError('INVALID_MEDIA', `Cannot read the ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export async function runRender(
  opts: RenderOptions,
  deps: {
    api: AvatarApi;
    media: MediaPreparer;
    io: CliIo;
    limits: { imageBytes: number; audioBytes: number };
    renderRatio: number;
    pollMaxMs: number;
    speech: { textMaxChars: number; defaultVoiceId: string | undefined };
    /** FACE_CONSENT. The command line keeps no people, so `once` and `every` both ask on each run. */
    consentMode: 'off' | 'once' | 'every';
  },
): Promise<number> {
  const { io } = deps;
  // Before any file is read or anything is sent, as the bot's jobs.create refuses.
  if (deps.consentMode !== 'off' && !opts.faceConsent) {
    io.err(`${errorSentence({ code: 'CONSENT_NEEDED' }, CLI_STYLE)} ${CLI_CONSENT_HOWTO}\n`);
    return 1;
  }
  try {
    const imageBytes = await readInput(opts.image, 'image', deps.limits.imageBytes);
    let audioBytes: Uint8Array;
    if ('audio' in opts.speech) {
      audioBytes = await readInput(opts.speech.audio, 'audio', deps.limits.audioBytes);
    } else {
      audioBytes = await speakText(opts.speech, {
        api: deps.api,
        ...deps.speech,
        onSpeaking: (voice) => {
          if (io.tty) io.err(`${CLI_MAKING_VOICE} (${voice.name})\n`);
        },
      });
    }
    const typed = !('audio' in opts.speech);
    // Spoken text too long for a video is the text's fault: say so in words about the text.
    const prepared = await deps.media.prepare(imageBytes, audioBytes).catch((err: unknown) => {
      throw typed ? asTextRefusal(err) : err;
    });
    const answer = await deps.api.submit({
      image: prepared.image,
      audio: prepared.audio,
      ...(opts.webhookUrl === undefined ? {} : { webhook: { url: opts.webhookUrl, authToken: opts.webhookToken } }),
    });
    if (!opts.sync) {
      io.out(JSON.stringify(answer.raw, null, 2));
      return 0;
    }
    const started = Date.now();
    const etaAt = estimateEta(started, prepared.audioSeconds, deps.renderRatio);
    // The poll window scales with the render (the plan's spread: one run learns nothing).
    const renderMs = Math.round(prepared.audioSeconds * deps.renderRatio * 1000);
    const final: StatusAnswer | null = await waitForStatus(deps.api, answer.taskId, {
      timeoutMs: opts.timeoutSeconds * 1000,
      delay: (pollCount, now) => nextPollDelay({ now, etaAt, pollCount, renderMs }, { ...defaultPollPlan, maxIntervalMs: deps.pollMaxMs }),
      onStatus: (st) => {
        if (!io.tty) return;
        const elapsed = Math.round((Date.now() - started) / 1000);
        const eta = Math.max(0, Math.round((etaAt - Date.now()) / 1000));
        io.err(`\r${st.status.padEnd(11)} ${elapsed}s elapsed, about ${eta}s left   `);
      },
    });
    if (io.tty) io.err('\n');
    if (final === null) {
      io.err(`Error generate a talking avatar video request: no final status within ${opts.timeoutSeconds} s (task ${answer.taskId})\n`);
      return 2;
    }
    io.out(JSON.stringify(final.raw, null, 2));
    return final.status === 'COMPLETED' ? 0 : 1;
  } catch (err) {
    const e = toAvatarError(err);
    // A refused file or text gets the sentence people read everywhere; other errors keep the workflow's wording.
    io.err(`${e instanceof MediaError || WORDED.has(e.code) ? errorSentence(e, CLI_STYLE) : e.message}\n`);
    return 1;
  }
}
