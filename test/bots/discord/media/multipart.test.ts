import { describe, expect, it } from 'vitest';
import { encodeMultipart } from '../../../../src/bots/discord/media/multipart.js';

describe('multipart encoding', () => {
  it('is parsed back by a standard multipart parser', async () => {
    const data = new Uint8Array([0, 1, 2, 255, 13, 10]);
    const { body, contentType } = encodeMultipart({ content: 'hi' }, [{ name: 'v.mp4', data, contentType: 'video/mp4' }]);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    expect(JSON.parse(String(form.get('payload_json')))).toEqual({ content: 'hi' });
    const file = form.get('files[0]') as File;
    expect(file.name).toBe('v.mp4');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
  });
});
