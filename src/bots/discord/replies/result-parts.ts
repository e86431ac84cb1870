/**
 * What a Discord result carries, worked out once from the core's ResultUpdate: the handed-over
 * video when it fits the upload limit the interaction gave, the caption files (always small,
 * so they go even when the video cannot), the transcript shortened for a message, and the
 * notes' sentences. The adapter never fetches the service's link itself: without handed bytes
 * the answer is the link.
 */
import type { HandoverNote, ResultUpdate } from '../../../core/ports.js';
import { captionFileNames, handoverNoteLines, transcriptExcerpt } from '../../shared/words/handover.js';
import type { UploadFile } from '../media/multipart.js';

/** How much of the transcript a message shows (Discord's messages and text displays allow far more). */
const EXCERPT = { lines: 3, chars: 300 } as const;

export interface ResultParts {
  /** The MP4 to upload; absent when none was handed over or it is over the limit. */
  video?: UploadFile;
  /** The .vtt and .srt files, when the video has captions. */
  captions: UploadFile[];
  /** The transcript, shortened; null without captions. */
  transcript: string | null;
  /** One sentence per note, the adapter's own (the video over Discord's limit) included. */
  notes: string[];
}

/** `jobId` names the caption files when no video was handed over (else they follow the video's name). */
export function resultParts(result: ResultUpdate, sizeLimit: number, jobId: string): ResultParts {
  const notes: HandoverNote[] = [...(result.notes ?? [])];
  let video: UploadFile | undefined;
  if (result.video !== undefined) {
    if (result.video.bytes.byteLength <= sizeLimit) {
      video = { name: result.video.name, data: result.video.bytes, contentType: result.video.mime };
    } else {
      notes.push('VIDEO_TOO_BIG');
    }
  }
  const captions: UploadFile[] = [];
  let transcript: string | null = null;
  if (result.captions !== undefined) {
    const names = captionFileNames(result.video?.name ?? `talking-avatar-${jobId}.mp4`);
    captions.push({ name: names.vtt, data: new TextEncoder().encode(result.captions.vtt), contentType: 'text/vtt' });
    captions.push({ name: names.srt, data: new TextEncoder().encode(result.captions.srt), contentType: 'application/x-subrip' });
    transcript = transcriptExcerpt(result.captions.transcript, EXCERPT) || null;
  }
  return { ...(video === undefined ? {} : { video }), captions, transcript, notes: handoverNoteLines(notes, result.preview) };
}

/** The same parts once Discord refused the video as too large: the captions and the link only. */
export function withoutVideo(parts: ResultParts, preview: boolean): ResultParts {
  const { video: _video, ...rest } = parts;
  const tooBig = handoverNoteLines(['VIDEO_TOO_BIG'], preview);
  return { ...rest, notes: [...new Set([...parts.notes, ...tooBig])] };
}

/** Every file of a message with these parts, the video first. */
export function filesOf(parts: ResultParts): UploadFile[] {
  return parts.video === undefined ? parts.captions : [parts.video, ...parts.captions];
}
