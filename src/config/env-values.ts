/**
 * The kinds of value an environment variable holds, as zod schemas over strings. Every
 * section declares its variables with these, so a rule (what counts as true, how a list is
 * split, what an empty string means) is written once.
 */
import { z } from 'zod';

export const MB = 1024 * 1024;

/** The parsed variables of a section's shape. */
export type EnvOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

/** Unset and blank are the same: undefined. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const optionalUrl = optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
  message: 'must be an http(s) URL',
});

/** Comma-separated, blanks dropped. */
export const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

export const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
export const num = (min: number, max: number, fallback: number) => z.coerce.number().min(min).max(max).default(fallback);

/** A base URL without its trailing slashes. */
export const trimSlashes = (url: string | undefined): string | undefined => url?.replace(/\/+$/, '');
