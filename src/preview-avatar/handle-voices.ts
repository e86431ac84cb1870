import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { PreviewContext } from './context.js';
import { PREVIEW_VOICE_DESCRIPTION, PREVIEW_VOICES } from './preview-voices.js';
import { sendJson } from './problem.js';

/**
 * GET /v1/voice/premade_profiles (the preview voices, each with a sample clip this server
 * speaks on first request) and GET /v1/voice/profiles (no cloned voices here: an empty list).
 */
export function handleVoices(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse, which: 'premade' | 'own'): void {
  ctx.counters.voiceListCalls++;
  req.resume();
  if (ctx.faults?.intercept(which === 'premade' ? 'voices' : 'own-voices', req, res, ctx.schedule) === true) return;
  if (!checkBearer(req, res, ctx.apiKey)) return;
  if (which === 'own') {
    sendJson(res, 200, { data: [] });
    return;
  }
  const data = PREVIEW_VOICES.map((v) => ({
    id: v.id,
    name: v.name,
    description: PREVIEW_VOICE_DESCRIPTION,
    languages: v.languages,
    sample_clip: `${ctx.baseUrl()}/files/voice-sample-${v.id}.wav`,
    is_premade: true,
    status: 'READY',
  }));
  sendJson(res, 200, { data });
}
