/**
 * The result's files into the job's thread: the MP4 the core handed over (when it fits
 * SLACK_UPLOAD_MAX_MB) and the caption files (.vtt for players, .srt for editors). One
 * `filesUploadV2` call: one `files.getUploadURLExternal` per file, one
 * `files.completeUploadExternal` for them all, so they land together. The adapter never fetches
 * the service's link itself; without handed bytes the card gives the link.
 */
import type { webApi } from '@slack/bolt';
import type { HandoverNote, ResultUpdate } from '../../../core/ports.js';
import { captionFileNames } from '../../shared/words/handover.js';
import type { SlackReplyTo } from '../reply-to.js';

interface OneFile {
  file: Buffer;
  filename: string;
  title: string;
}

/** What to upload for a result, and the note to add when the video is over the limit. */
export function filesToUpload(
  jobId: string,
  result: ResultUpdate,
  maxBytes: number,
): { files: OneFile[]; video: boolean; note?: HandoverNote } {
  const files: OneFile[] = [];
  let video = false;
  let note: HandoverNote | undefined;
  const v = result.video;
  if (v !== undefined) {
    if (v.bytes.byteLength <= maxBytes) {
      files.push({ file: Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength), filename: v.name, title: 'Talking avatar' });
      video = true;
    } else {
      note = 'VIDEO_TOO_BIG';
    }
  }
  if (result.captions !== undefined) {
    const names = captionFileNames(v?.name ?? `talking-avatar-${jobId}.mp4`);
    files.push({ file: Buffer.from(result.captions.vtt, 'utf8'), filename: names.vtt, title: 'Captions (WebVTT)' });
    files.push({ file: Buffer.from(result.captions.srt, 'utf8'), filename: names.srt, title: 'Captions (SRT)' });
  }
  return { files, video, ...(note === undefined ? {} : { note }) };
}

/** Uploads the files into the thread; throws what the Web API threw. */
export async function uploadIntoThread(
  client: webApi.WebClient,
  auth: { token?: string },
  to: SlackReplyTo,
  files: OneFile[],
): Promise<string[]> {
  if (files.length === 0) return [];
  const res = await client.filesUploadV2({
    ...auth,
    channel_id: to.channel,
    thread_ts: to.threadTs,
    file_uploads: files,
  });
  return uploadedFileIds(res);
}

/** The ids `filesUploadV2` answered with: `{ files: [{ files: [{ id }, …] }, …] }` (one entry per completion). */
function uploadedFileIds(res: unknown): string[] {
  const outer = (res as { files?: unknown } | null)?.files;
  const ids: string[] = [];
  for (const completion of Array.isArray(outer) ? outer : []) {
    const inner = (completion as { files?: unknown } | null)?.files;
    for (const f of Array.isArray(inner) ? inner : []) {
      const id = (f as { id?: unknown } | null)?.id;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}
