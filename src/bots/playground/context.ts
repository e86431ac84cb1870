import type { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import type { AvatarCore } from '../../core/ports.js';
import type { Access } from './access.js';
import type { EventHub } from './event-hub.js';
import type { HandedCache } from './handed-cache.js';

/** What every playground handler shares. */
export interface PlaygroundContext {
  core: AvatarCore;
  logger: Logger;
  access: Access;
  /** True when PLAYGROUND_TOKEN is set (then the Host may be any name). */
  tokenRequired: boolean;
  hub: EventHub;
  /** The tagged videos and caption files of recent jobs, as the core handed them over. */
  handed: HandedCache;
  /** Open SSE streams, ended by `stop()`. */
  streams: Set<PassThrough>;
  /** Largest accepted upload body: image + audio limits + room for the form's own bytes. */
  maxBodyBytes: number;
  /** How long an upload may take before it is dropped. */
  uploadTimeoutMs: number;
  /** How often an idle event stream gets a comment line (keeps proxies from closing it). */
  heartbeatMs: number;
}
