import { createMockAvatarServer } from './server.js';
import type { MockAvatarOptions, MockAvatarServer } from './types.js';

/**
 * Starts the preview server on `port` (127.0.0.1) and returns it started; the caller owns
 * close(). Reads no environment: the lead wires PORT and the rest from AppConfig.
 */
export async function serveMockAvatar(
  port: number,
  options: Omit<MockAvatarOptions, 'port'> = {},
): Promise<MockAvatarServer> {
  const server = createMockAvatarServer({ ...options, port });
  await server.start();
  options.logger?.info({ url: server.url }, 'mock-avatar: serving local previews (no lip sync)');
  return server;
}
