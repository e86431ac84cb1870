/**
 * A stand-in core for playground tests the harness cannot set up (a core in preview mode,
 * hand-made results): it keeps jobs in a map, and drives the playground's real ChatReply, which
 * `reply()` returns (it throws when the playground never registered one, so a test cannot pass
 * by calling nothing). Anything a test does not expect to be used throws.
 */
import type { AvatarCore, ChatReply, JobDesk, JobView, VoiceShelf } from '../../../../src/core/ports.js';

const unused = (): never => {
  throw new Error('not used by this test');
};

export function standInCore(
  jobs = new Map<string, JobView>(),
  over: { jobs?: Partial<JobDesk>; voices?: Partial<VoiceShelf> } = {},
): { core: AvatarCore; jobs: Map<string, JobView>; reply(): ChatReply } {
  let registered: ChatReply | undefined;
  const core: AvatarCore = {
    jobs: {
      create: unused,
      get: async (id) => jobs.get(id) ?? null,
      cancel: unused,
      retry: unused,
      discard: unused,
      listForRequester: async (_p, requesterId) => [...jobs.values()].filter((j) => j.requesterId === requesterId),
      forgetPerson: unused,
      ...over.jobs,
    },
    faces: { get: async () => null, save: unused, clear: async () => false },
    voices: { list: unused, find: unused, choose: unused, saved: unused, save: unused, clear: unused, sample: unused, ...over.voices },
    consent: { mode: 'off', needed: async () => false, give: unused },
    dedupe: { claim: async () => true },
    secrets: { get: unused, put: unused, delete: unused },
    checkText: unused,
    sniff: unused,
    quota: unused,
    registerReply: (platform, r) => {
      if (platform === 'playground') registered = r;
    },
    preview: true,
    limits: { imageBytes: 1000, audioBytes: 2000, audioSeconds: 30, textChars: 1000 },
  };
  return {
    core,
    jobs,
    reply() {
      if (registered === undefined) throw new Error('the playground registered no ChatReply');
      return registered;
    },
  };
}
