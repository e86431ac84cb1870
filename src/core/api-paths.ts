/**
 * The avatar service's paths (Mirako's OpenAPI description), shared by the client
 * (avatar-api.ts) and the local preview server (src/preview-avatar), so the two cannot drift.
 */
export const SUBMIT_PATH = '/v1/video/async_generate_talking_avatar';

export const statusPath = (taskId: string): string => `${SUBMIT_PATH}/${encodeURIComponent(taskId)}/status`;

/** The server side of statusPath: matches it and captures the (still encoded) task id. */
// SUBMIT_PATH holds no regex metacharacters, so it can be spliced in as it is.
export const STATUS_PATH_PATTERN = new RegExp(`^${SUBMIT_PATH}/([^/]+)/status$`);

/** Text to speech (synchronous). */
export const TTS_PATH = '/v1/speech/tts';
/** Speech to text (synchronous): what a voice note says, with timed segments. */
export const STT_PATH = '/v1/speech/stt';
/** The service's premade voices, and the account's own (cloned) ones. */
export const PREMADE_VOICES_PATH = '/v1/voice/premade_profiles';
export const OWN_VOICES_PATH = '/v1/voice/profiles';
