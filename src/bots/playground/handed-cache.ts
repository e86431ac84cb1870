/**
 * What the core handed over with recent finished videos (the tagged MP4, the caption files, the
 * notes), kept in memory so the page plays and downloads the tagged file from this server, with
 * its captions as a <track>. Bounded in count and bytes, the least recently used dropped first:
 * a video not (or no longer) here is served from the service's link instead, and the caption
 * files and notes are then gone with it (the transcript stays with the job).
 */
import type { HandoverNote } from '../../core/ports.js';

export interface HandedEntry {
  /** The browser that owns the job. */
  owner: string;
  video?: { bytes: Uint8Array; name: string };
  captions?: { vtt: string; srt: string; transcript: string };
  notes: readonly HandoverNote[];
}

export interface HandedCache {
  put(jobId: string, entry: HandedEntry): void;
  get(jobId: string): HandedEntry | undefined;
  drop(jobId: string): void;
  /** Drops every entry of one browser ("Forget me"). */
  dropOwner(owner: string): void;
}

export interface HandedCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/** 20 videos, 200 MB: a handful of recent jobs per person on a machine someone tries the bot on. */
const DEFAULT_HANDED_LIMITS: HandedCacheLimits = { maxEntries: 20, maxBytes: 200 * 1024 * 1024 };

function sizeOf(e: HandedEntry): number {
  return (
    (e.video?.bytes.byteLength ?? 0) +
    (e.captions === undefined ? 0 : e.captions.vtt.length + e.captions.srt.length + e.captions.transcript.length)
  );
}

function withoutVideo({ video: _video, ...rest }: HandedEntry): HandedEntry {
  return rest;
}

export function createHandedCache(limits: HandedCacheLimits = DEFAULT_HANDED_LIMITS): HandedCache {
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, HandedEntry>();
  let bytes = 0;

  function drop(jobId: string): void {
    const e = entries.get(jobId);
    if (e === undefined) return;
    entries.delete(jobId);
    bytes -= sizeOf(e);
  }

  return {
    put(jobId, entry) {
      drop(jobId);
      // Larger than the whole cache: keep the notes and captions, not the video (served from the link).
      const stored = sizeOf(entry) > limits.maxBytes ? withoutVideo(entry) : entry;
      entries.set(jobId, stored);
      bytes += sizeOf(stored);
      for (const oldest of entries.keys()) {
        if (entries.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
        if (oldest === jobId) continue;
        drop(oldest);
      }
    },
    get(jobId) {
      const e = entries.get(jobId);
      if (e !== undefined) {
        entries.delete(jobId);
        entries.set(jobId, e);
      }
      return e;
    },
    drop,
    dropOwner(owner) {
      for (const [id, e] of [...entries]) if (e.owner === owner) drop(id);
    },
  };
}
