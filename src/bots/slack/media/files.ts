/**
 * Slack file objects as they arrive in events, shortcuts and `files.info`, narrowed from
 * unknown JSON, and the rules that pick a face image and a voice clip out of them.
 * Declared types only choose candidates: the bytes decide later (core.sniff / core prepare).
 */
import { field, finite, isRecord, text as str } from '../../shared/json.js';

export interface SlackFile {
  id: string;
  name: string | undefined;
  mimetype: string | undefined;
  filetype: string | undefined;
  subtype: string | undefined;
  size: number | undefined;
  urlPrivate: string | undefined;
  urlPrivateDownload: string | undefined;
  isExternal: boolean;
  /** Slack Connect stub: only the id is usable, details come from `files.info`. */
  isStub: boolean;
}

/** Narrows one file object; null when it has no id. */
export function toSlackFile(r: unknown): SlackFile | null {
  if (!isRecord(r)) return null;
  const id = str(r['id']);
  if (id === undefined) return null;
  const urlPrivate = str(r['url_private']);
  const urlPrivateDownload = str(r['url_private_download']);
  return {
    id,
    name: str(r['name']),
    mimetype: str(r['mimetype']),
    filetype: str(r['filetype']),
    subtype: str(r['subtype']),
    size: finite(r['size']),
    urlPrivate,
    urlPrivateDownload,
    isExternal: r['is_external'] === true,
    // Slack Connect hides details until files.info: `file_access: check_file_info`, or no URL at all.
    isStub: r['file_access'] === 'check_file_info' || (urlPrivate === undefined && urlPrivateDownload === undefined),
  };
}

/** Narrows a message's `files` array. */
export function filesOf(message: unknown): SlackFile[] {
  const files = field(message, 'files');
  if (!Array.isArray(files)) return [];
  return files.map(toSlackFile).filter((f): f is SlackFile => f !== null);
}

const IMAGE_EXT = /\.(png|jpe?g|gif|webp|heic|heif|bmp|tiff?)$/i;
const AUDIO_EXT = /\.(mp3|wav|m4a|aac|ogg|oga|opus|flac|weba|amr)$/i;
const IMAGE_FILETYPES = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'heic', 'bmp', 'tiff']);
const AUDIO_FILETYPES = new Set(['mp3', 'wav', 'm4a', 'aac', 'ogg', 'opus', 'flac', 'webm', 'amr']);

/** True when the file claims to be an image. */
function looksLikeImage(f: SlackFile): boolean {
  if (f.mimetype?.startsWith('image/') === true) return true;
  if (f.filetype !== undefined && IMAGE_FILETYPES.has(f.filetype.toLowerCase())) return true;
  return f.name !== undefined && IMAGE_EXT.test(f.name);
}

/**
 * How strongly the file claims to be a voice clip: 3 a clip recorded in Slack, 2 an audio file,
 * 1 a video clip (Slack records some clips as video/mp4 or webm; the audio track is used),
 * 0 not audio.
 */
export function audioScore(f: SlackFile): number {
  if (f.subtype === 'slack_audio') return 3;
  if (f.name !== undefined && /^audio_message/i.test(f.name)) return 3;
  if (f.mimetype?.startsWith('audio/') === true) return 2;
  if (f.name !== undefined && AUDIO_EXT.test(f.name)) return 2;
  if (f.filetype !== undefined && AUDIO_FILETYPES.has(f.filetype.toLowerCase()) && f.filetype !== 'webm') return 2;
  if (f.mimetype === 'video/mp4' || f.mimetype === 'video/webm' || f.mimetype === 'video/quicktime') return 1;
  return 0;
}

/** The best voice clip candidate in a list (the strongest claim, first on ties). */
export function pickAudio(files: readonly SlackFile[]): SlackFile | undefined {
  let best: SlackFile | undefined;
  let bestScore = 0;
  for (const f of files) {
    const s = audioScore(f);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

/** The first image that is not the chosen audio file. */
export function pickImage(files: readonly SlackFile[], exclude?: SlackFile): SlackFile | undefined {
  return files.find((f) => f !== exclude && looksLikeImage(f));
}
