/**
 * The line beside every finished video saying it was made by AI, for every surface that shows
 * one (a small context line under the video). A preview is labelled as what it is: the local
 * preview server's still face, not the avatar service's work.
 */
export function aiGeneratedLine(preview: boolean): string {
  return preview
    ? 'AI-generated preview: a still face with the voice, made by the local preview server (no lip sync).'
    : 'AI-generated video: the avatar service made this face speak.';
}
