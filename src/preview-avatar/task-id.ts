import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A 20-character lowercase task id (100 random bits), shaped like the service's `xdac2o3c`. */
export function newTaskId(): string {
  const bytes = randomBytes(20);
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}

/** Task ids this server could have made (anything else is a 404 without a lookup). */
export const TASK_ID_PATTERN = /^[a-z0-9]{1,64}$/;
