import type { Logger } from 'pino';
import type { SpeechStore } from './speech-store.js';
import type { TaskBook } from './task-book.js';
import type { Later, PreviewAvatarFaults, PreviewAvatarStats } from './types.js';

/** What the handlers share: one object per server, built by createPreviewAvatarServer. */
export interface PreviewContext {
  apiKey: string | undefined;
  maxBodyBytes: number;
  tasks: TaskBook;
  /** Text to speech, its files and the voices' sample clips. */
  speech: SpeechStore;
  faults: PreviewAvatarFaults | undefined;
  counters: PreviewAvatarStats;
  baseUrl(): string;
  /** setTimeout that close() cancels. */
  schedule: Later;
  logger: Logger;
}

/** Matches file URLs: `/files/preview-<id>.mp4` (what file_url gives) or `/files/<id>.mp4`. */
export const FILE_PATH = /^\/files\/(?:preview-)?([a-z0-9]+)\.mp4$/;
