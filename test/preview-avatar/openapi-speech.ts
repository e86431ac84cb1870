/**
 * The speech and voice answers' schemas from the service's OpenAPI description (Mirako's
 * mirako-openapi.yaml: TTSApiResponseBody / TTSOutput, GetPremadeProfilesApiResponseBody /
 * GetVoiceProfilesApiResponseBody / PresignedVoiceProfile), transcribed as strict zod schemas:
 * `additionalProperties: false` is `strictObject`, `nullable` is `nullable()`, `format:
 * date-time` is an ISO date-time. A preview answer must pass them as the real one would.
 */
import { z } from 'zod';

const TtsOutput = z.strictObject({
  b64_audio_str: z.string().optional(),
  file_url: z.string().optional(),
  id: z.string(),
  output_duration: z.number().optional(),
  voice_profile_id: z.string(),
});

export const TtsApiResponseBody = z.strictObject({ data: TtsOutput.optional() });

const PresignedVoiceProfile = z.strictObject({
  created_at: z.iso.datetime().optional(),
  description: z.string().optional(),
  id: z.string().optional(),
  is_premade: z.boolean().optional(),
  languages: z.array(z.string()).nullable().optional(),
  name: z.string().optional(),
  sample_clip: z.string().optional(),
  status: z.string().optional(),
  user_id: z.string().optional(),
});

/** Both voice lists have this shape (GetPremadeProfilesApiResponseBody, GetVoiceProfilesApiResponseBody). */
export const VoiceListResponseBody = z.strictObject({ data: z.array(PresignedVoiceProfile).nullable() });

/** ErrorModel with its ErrorDetail entries. */
export const ErrorModel = z.strictObject({
  detail: z.string().optional(),
  errors: z
    .array(z.strictObject({ location: z.string().optional(), message: z.string().optional(), value: z.unknown().optional() }))
    .nullable()
    .optional(),
  instance: z.string().optional(),
  status: z.number().int().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
});
