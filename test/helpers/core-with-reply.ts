/**
 * A started core (the harness) with a recording ChatReply for platform 'test', registered for
 * cleanup, and a request builder with a real face and voice note: what most engine tests begin with.
 */
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile, type AvatarRequest } from '../../src/core/ports.js';
import { startHarness, type HarnessOptions } from './harness.js';
import { makeJpeg, makeTone } from './media.js';
import { recordingReply } from './recording-reply.js';

export async function coreWithReply(cleanups: Array<() => Promise<void> | void>, opts: HarnessOptions = {}, start = true) {
  const h = await startHarness(opts);
  cleanups.push(() => h.stop());
  const reply = recordingReply();
  h.core.registerReply('test', reply);
  if (start) await h.startCore();
  return { h, reply };
}

/** alice asks in team-1 with a 1 s Ogg voice note and a JPEG face, unless `over` says otherwise. */
export async function testRequest(over: Partial<AvatarRequest> = {}): Promise<AvatarRequest> {
  return {
    platform: 'test',
    requesterId: 'alice',
    groupId: 'team-1',
    replyTo: 'test:chan:1',
    image: bytesInput(await makeJpeg()),
    speech: voiceFile(bytesInput(await makeTone(1, 'ogg'))),
    ...over,
  };
}
