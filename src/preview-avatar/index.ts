/**
 * The local Mirako-compatible avatar server: the bot's embedded default when no avatar API is
 * configured (a rough offline preview: a talking face when it finds one, else the still image), and what the tests' avatar double wraps.
 */
export { createPreviewAvatarServer } from './server.js';
export type {
  Later,
  PreviewAvatarFaults,
  PreviewAvatarOptions,
  PreviewAvatarServer,
  PreviewAvatarStats,
  PreviewEndpoint,
  PreviewTaskView,
  RenderTimeInfo,
  TaskOutcome,
} from './types.js';
