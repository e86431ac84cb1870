import type { ServerResponse } from 'node:http';
import { sendBody } from './problem.js';

const PAGE = `Local talking-avatar preview server (Mirako-compatible API).

This is NOT the real avatar service: it makes a preview video of the still face image with
the voice note as its sound track. There is no lip sync and no animation. Files are named
preview-<task_id>.mp4 so nobody mistakes them for the real thing.

Set AVATAR_API_KEY (and AVATAR_API_URL if needed) to use the real service.

Endpoints:
  POST /v1/video/async_generate_talking_avatar
  GET  /v1/video/async_generate_talking_avatar/{task_id}/status
  GET  /files/preview-{task_id}.mp4
  POST /v1/speech/tts                  (preview voices: robotic, offline eSpeak NG)
  GET  /v1/voice/premade_profiles
  GET  /v1/voice/profiles              (always empty here)
`;

/** GET /: says plainly what this server is (a local preview, no lip sync). */
export function handleHome(res: ServerResponse): void {
  sendBody(res, 200, 'text/plain; charset=utf-8', PAGE);
}
