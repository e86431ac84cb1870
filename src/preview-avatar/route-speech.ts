import type { IncomingMessage, ServerResponse } from 'node:http';
import { OWN_VOICES_PATH, PREMADE_VOICES_PATH, STT_PATH, TTS_PATH } from '../core/api-paths.js';
import type { PreviewContext } from './context.js';
import { handleSpeechFile } from './handle-speech-file.js';
import { handleStt } from './handle-stt.js';
import { handleTts } from './handle-tts.js';
import { handleVoices } from './handle-voices.js';
import { sendProblem } from './problem.js';
import { SPEECH_FILE_PATH } from './speech-store.js';

/** Routes the speech endpoints; false when the path is none of them. */
export function routeSpeech(
  ctx: PreviewContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  method: string,
): Promise<void> | boolean {
  const refuse = (allow: string): true => {
    req.resume();
    sendProblem(res, 405, 'Method not allowed.', { headers: { Allow: allow } });
    return true;
  };
  if (path === TTS_PATH) return method === 'POST' ? handleTts(ctx, req, res) : refuse('POST');
  if (path === STT_PATH) return method === 'POST' ? handleStt(ctx, req, res) : refuse('POST');
  if (path === PREMADE_VOICES_PATH || path === OWN_VOICES_PATH) {
    if (method !== 'GET') return refuse('GET');
    handleVoices(ctx, req, res, path === PREMADE_VOICES_PATH ? 'premade' : 'own');
    return true;
  }
  const file = SPEECH_FILE_PATH.exec(path);
  if (file !== null) {
    if (method !== 'GET' && method !== 'HEAD') return refuse('GET, HEAD');
    return handleSpeechFile(ctx, req, res, file[1] ?? '', file[2] ?? '');
  }
  return false;
}
