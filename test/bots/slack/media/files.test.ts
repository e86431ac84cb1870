import { describe, expect, it } from 'vitest';
import { audioScore, pickAudio, pickImage, toSlackFile, type SlackFile } from '../../../../src/bots/slack/media/files.js';

describe('file picking', () => {
  const f = (o: Record<string, unknown>): SlackFile => {
    const file = toSlackFile({ id: `F${Math.random()}`, url_private: 'https://files.slack.com/x', ...o });
    if (file === null) throw new Error('bad file');
    return file;
  };

  it('prefers a Slack clip over an audio file over a video clip, and the image is another file', () => {
    const video = f({ name: 'clip.mp4', mimetype: 'video/mp4' });
    const mp3 = f({ name: 'song.mp3', mimetype: 'audio/mpeg' });
    const recorded = f({ name: 'audio_message.webm', mimetype: 'audio/webm', subtype: 'slack_audio' });
    const photo = f({ name: 'face.heic', mimetype: 'application/octet-stream' });
    expect(audioScore(photo)).toBe(0);
    expect(pickAudio([video, mp3, recorded, photo])).toBe(recorded);
    expect(pickAudio([video, mp3])).toBe(mp3);
    expect(pickAudio([video])).toBe(video);
    expect(pickAudio([photo])).toBeUndefined();
    expect(pickImage([mp3, photo], mp3)).toBe(photo);
  });

  it('marks Slack Connect stubs', () => {
    expect(toSlackFile({ id: 'F1', file_access: 'check_file_info' })?.isStub).toBe(true);
    expect(toSlackFile({ id: 'F1', url_private: 'https://files.slack.com/a' })?.isStub).toBe(false);
    expect(toSlackFile({ name: 'no id' })).toBeNull();
  });
});
