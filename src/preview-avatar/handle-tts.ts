import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { PreviewContext } from './context.js';
import { findPreviewVoice } from './preview-voices.js';
import { sendJson, sendProblem } from './problem.js';
import { readBody } from './read-body.js';
import { SynthesisError } from './synthesizer.js';
import { newTaskId } from './task-id.js';
import { validateTts } from './validate-tts.js';
import { wavSeconds } from './wav-seconds.js';

/** 10,000 characters, even each escaped as \uXXXX, fit with room to spare. */
const MAX_TTS_BODY = 256 * 1024;

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * POST /v1/speech/tts: real (robotic, offline) speech from eSpeak NG, made on a worker thread.
 * An unknown voice_profile_id is a 404 naming `body.voice_profile_id`: a voice, like a task, is
 * a resource that is not there (the client maps it to UNKNOWN_VOICE).
 */
export async function handleTts(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.counters.ttsCalls++;
  const read = await readBody(req, MAX_TTS_BODY);
  if (!read.ok && read.reason === 'aborted') return;
  const parsed = read.ok ? parseJson(read.body) : ({ ok: false } as const);
  // Recorded before faults and auth: tests assert what the client sent, whatever it was answered.
  if (parsed.ok) ctx.faults?.speechRequested?.(parsed.value);

  if (ctx.faults?.intercept('tts', req, res, ctx.schedule) === true) return;
  if (!checkBearer(req, res, ctx.apiKey)) return;
  if (!read.ok) {
    sendProblem(res, 413, `The request body is larger than ${MAX_TTS_BODY} bytes.`, { headers: { Connection: 'close' } });
    return;
  }
  if (!parsed.ok) {
    sendProblem(res, 400, 'The request body is not valid JSON.', { errors: [{ location: 'body', message: 'invalid JSON' }] });
    return;
  }
  const valid = validateTts(parsed.value);
  if (!valid.ok) {
    sendProblem(res, 400, valid.detail, { errors: valid.errors });
    return;
  }
  const { text, voiceProfileId, returnType, chineseLanguage } = valid.value;
  const voice = findPreviewVoice(voiceProfileId);
  if (voice === undefined) {
    sendProblem(res, 404, `Voice profile "${voiceProfileId}" not found.`, {
      errors: [{ location: 'body.voice_profile_id', message: 'no voice profile with this id', value: voiceProfileId }],
    });
    return;
  }
  const started = Date.now();
  let wav: Uint8Array;
  try {
    wav = await ctx.speech.speak(voice, text, chineseLanguage);
  } catch (err) {
    const reason = err instanceof SynthesisError ? err.reason : 'CRASHED';
    ctx.logger.warn({ err: (err as Error).message, reason }, 'preview-avatar: speech failed');
    if (reason === 'BUSY' || reason === 'CLOSED') {
      sendProblem(res, 503, 'The preview speech synthesizer is busy; try again shortly.', { headers: { 'Retry-After': '1' } });
    } else {
      sendProblem(res, 500, 'The preview speech synthesizer failed on this text.');
    }
    return;
  }
  const id = newTaskId();
  const seconds = wavSeconds(wav);
  // The text is not logged: it is what a person typed.
  ctx.logger.info({ id, voice: voice.id, chars: text.length, seconds, ms: Date.now() - started }, 'preview-avatar: speech made');
  const data: Record<string, unknown> = { id, voice_profile_id: voice.id, output_duration: seconds };
  if (returnType === 'file_url') {
    ctx.speech.keep(id, wav);
    data['file_url'] = `${ctx.baseUrl()}/files/speech-${id}.wav`;
  } else {
    data['b64_audio_str'] = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength).toString('base64');
  }
  sendJson(res, 200, { data });
}
