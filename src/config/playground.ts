/** The local web playground: on by default on a loopback address, behind a token elsewhere. */
import { z } from 'zod';
import { optionalString, type EnvOf } from './env-values.js';
import { isLoopback } from './server.js';

export const playgroundEnv = {
  PLAYGROUND: z.enum(['on', 'off', 'auto']).default('auto'),
  PLAYGROUND_TOKEN: optionalString,
};

type PlaygroundEnv = EnvOf<typeof playgroundEnv> & { HOST: string };

export function playgroundProblems(e: PlaygroundEnv): string[] {
  if (e.PLAYGROUND === 'on' && !isLoopback(e.HOST) && e.PLAYGROUND_TOKEN === undefined) {
    return ['PLAYGROUND_TOKEN: required when PLAYGROUND=on and HOST is not a loopback address'];
  }
  return [];
}

export function playgroundSection(e: PlaygroundEnv) {
  const publicHost = !isLoopback(e.HOST);
  return {
    playground: {
      enabled: e.PLAYGROUND === 'on' || (e.PLAYGROUND === 'auto' && (!publicHost || e.PLAYGROUND_TOKEN !== undefined)),
      token: e.PLAYGROUND_TOKEN,
    },
  };
}
