/**
 * The local Mirako-compatible avatar server: the bot's embedded default when no avatar API is
 * configured (a still-image preview, no lip sync), and what the tests' avatar double wraps.
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
