/**
 * A handle shaped like the tests' fake avatar server for a preview server running in a child
 * process, so the harness (which only needs `url` when a server is passed in) can use it.
 * Introspection that would be synchronous in-process goes through the MockProcess instead.
 */
import type { PreviewAvatarServer } from '../../src/preview-avatar/index.js';
import type { MockProcess } from './mock-process.js';

/** Fault scripting and the speech record cannot cross processes: those throw. */
type RemoteMock = PreviewAvatarServer & {
  failNext(): never;
  nextOutcome(): never;
  speechRequests(): never;
  sttRequests(): never;
  setStt(): never;
};

export function remoteMock(proc: MockProcess): RemoteMock {
  const unsupported = (what: string) => (): never => {
    throw new Error(`remote mock: ${what} is not available across processes; use the MockProcess`);
  };
  return {
    url: proc.url,
    start: async () => undefined,
    close: async () => undefined,
    failNext: unsupported('failNext'),
    nextOutcome: unsupported('nextOutcome'),
    speechRequests: unsupported('speechRequests'),
    sttRequests: unsupported('sttRequests'),
    setStt: unsupported('setStt'),
    stats: unsupported('stats'),
    completeNow: unsupported('completeNow'),
    tasks: unsupported('tasks'),
  };
}
