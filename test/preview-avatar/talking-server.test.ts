import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewAvatarServer, type PreviewAvatarServer } from '../../src/preview-avatar/index.js';
import { NO_FACE_NOTE } from '../../src/preview-avatar/render-preview.js';
import { call, pollUntil, SUBMIT, statusPath } from './helpers.js';
import { makeFacePng, makeGrayPng, makeSilenceThenSpeechWav } from './talking-fixtures.js';

const KEY = 'talking-key';
let server: PreviewAvatarServer;

beforeAll(async () => {
  server = createPreviewAvatarServer({ apiKey: KEY, queueMs: 10, renderMs: () => 20 });
  await server.start();
});

afterAll(async () => {
  await server.close();
});

async function finished(image: Buffer): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ image: image.toString('base64'), audio: makeSilenceThenSpeechWav(0.5, 1).toString('base64') });
  const res = await call(server.url + SUBMIT, { body, key: KEY });
  expect(res.status).toBe(200);
  const taskId = (JSON.parse(res.text) as { data: { task_id: string } }).data.task_id;
  return pollUntil(async () => {
    const status = await call(server.url + statusPath(taskId), { key: KEY });
    const data = (JSON.parse(status.text) as { data: Record<string, unknown> }).data;
    return data['status'] === 'COMPLETED' || data['status'] === 'FAILED' ? data : undefined;
  });
}

describe('preview avatar server: talking face or still, and why', () => {
  it('says in the task answer that the preview is still when the image has no face', async () => {
    const data = await finished(await makeGrayPng());
    expect(data['status']).toBe('COMPLETED');
    expect(data['preview_note']).toBe(NO_FACE_NOTE);
    expect(data['output_duration']).toBeGreaterThan(1.3);
  }, 120_000);

  it('adds no note when the face talks', async () => {
    const data = await finished(await makeFacePng());
    expect(data['status']).toBe('COMPLETED');
    expect(data['preview_note']).toBeUndefined();
    expect(data['output_duration']).toBe(1.5);
  }, 120_000);
});
