import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreviewContext } from './context.js';
import { sendBody, sendProblem } from './problem.js';

/**
 * GET|HEAD /files/speech-<id>.wav (a TTS answer's file_url) and /files/voice-sample-<voice>.wav
 * (a voice's sample clip). No bearer, like the video files: the links are what a client holds.
 */
export async function handleSpeechFile(
  ctx: PreviewContext,
  req: IncomingMessage,
  res: ServerResponse,
  kind: string,
  id: string,
): Promise<void> {
  req.resume();
  let wav: Uint8Array | null;
  try {
    wav = await ctx.speech.file(kind, id);
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message, kind, id }, 'preview-avatar: sample clip failed');
    sendProblem(res, 500, 'The sample clip could not be spoken.');
    return;
  }
  if (wav === null) {
    sendProblem(res, 404, 'File not found.');
    return;
  }
  const headers = { 'Content-Disposition': `inline; filename="${kind}-${id}.wav"`, 'Cache-Control': 'no-store' };
  if (req.method === 'HEAD') {
    res.writeHead(200, { ...headers, 'Content-Type': 'audio/wav', 'Content-Length': String(wav.byteLength) });
    res.end();
    return;
  }
  sendBody(res, 200, 'audio/wav', wav, headers);
}
