import type { ServerResponse } from 'node:http';
import { sendBody } from './problem.js';

const PAGE = `Local talking-avatar preview server (Mirako-compatible API).

This is NOT the real avatar service: it makes a rough preview video offline. When it finds a
face, the mouth moves with the loudness of the voice, the eyes blink and the head sways; when
it finds none, the video is the still image with the voice (the status answer's preview_note
says why). It is not the service's lip-sync model. Files are named preview-<task_id>.mp4 so
nobody mistakes them for the real thing.

Set AVATAR_API_KEY (and AVATAR_API_URL if needed) to use the real service.

Endpoints:
  POST /v1/video/async_generate_talking_avatar
  GET  /v1/video/async_generate_talking_avatar/{task_id}/status
  GET  /files/preview-{task_id}.mp4
  POST /v1/speech/tts                  (preview voices: robotic, offline eSpeak NG)
  GET  /v1/voice/premade_profiles
  GET  /v1/voice/profiles              (always empty here)
`;

/** GET /: says plainly what this server is (a rough local preview, not the service's model). */
export function handleHome(res: ServerResponse): void {
  sendBody(res, 200, 'text/plain; charset=utf-8', PAGE);
}
