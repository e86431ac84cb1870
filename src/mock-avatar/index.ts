/**
 * The local Mirako-compatible avatar server: the bot's embedded default when no avatar API is
 * configured (a still-image preview, no lip sync) and the test double for the avatar client.
 */
export { createMockAvatarServer } from './server.js';
export { defaultRenderMs } from './task-book.js';
export type {
  FaultRates,
  MockAvatarOptions,
  MockAvatarServer,
  MockAvatarStats,
  MockTaskStatus,
  MockTaskView,
  RenderTimeInfo,
  ScriptedFault,
  ScriptedOutcome,
} from './types.js';
