/** The process itself: logging, the one HTTP server, the data folder. */
import { z } from 'zod';
import { int, optionalUrl, trimSlashes, type EnvOf } from './env-values.js';

export const serverEnv = {
  NODE_ENV: z.string().default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: readable lines on a terminal, JSON otherwise (a log collector, a pipe, a file).
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  PORT: int(0, 65535, 3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().default('./data'),
};

export function serverSection(e: EnvOf<typeof serverEnv>) {
  return {
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    http: { port: e.PORT, host: e.HOST, publicUrl: trimSlashes(e.PUBLIC_URL) },
    dataDir: e.DATA_DIR,
  };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}
