/**
 * The voice list, cached: a fresh list is served from memory; a stale one is served at once
 * while a refresh runs in the background (a failing refresh keeps the old list and is retried
 * on the next read); only the very first read waits for the service. A person's choice is kept
 * in the store, as the face is.
 */
import type { Logger } from 'pino';
import { AvatarError } from '../errors.js';
import type { AvatarApi, Voice, VoiceShelf } from '../ports.js';
import type { SavedVoices } from '../store/port.js';
import { fetchSpeechFile } from '../speech-file.js';
import { speaksLanguageOf } from './languages.js';

/** The MIME type of a sample clip, by its first bytes (samples are WAV, MP3, Ogg or FLAC). */
function audioTypeOf(b: Uint8Array): string {
  const head = Buffer.from(b.subarray(0, 4)).toString('latin1');
  if (head === 'RIFF') return 'audio/wav';
  if (head === 'OggS') return 'audio/ogg';
  if (head === 'fLaC') return 'audio/flac';
  return 'audio/mpeg';
}

export interface VoiceShelfConfig {
  ttlMs: number;
  defaultVoiceId: string | undefined;
}

export interface VoiceShelfDeps {
  api: Pick<AvatarApi, 'voices'>;
  store: SavedVoices;
  logger?: Logger;
  now?: () => number;
  /** Fetches a sample clip's bytes (default: a capped, timed GET). */
  fetchFile?: (url: string) => Promise<Uint8Array>;
}

/** An id asked for but not listed triggers one early refresh at most this often (a voice cloned a moment ago). */
const MISS_REFRESH_MS = 30_000;

export function createVoiceShelf(config: VoiceShelfConfig, deps: VoiceShelfDeps): VoiceShelf {
  const now = deps.now ?? Date.now;
  let cached: { voices: Voice[]; at: number } | null = null;
  let loading: Promise<Voice[]> | null = null;

  function load(): Promise<Voice[]> {
    loading ??= deps.api
      .voices()
      .then((voices) => {
        cached = { voices, at: now() };
        deps.logger?.info({ voices: voices.length }, 'voice list loaded');
        return voices;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function list(): Promise<Voice[]> {
    if (cached === null) return load();
    if (now() - cached.at >= config.ttlMs) {
      load().catch((err: unknown) => {
        deps.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'voice list refresh failed; keeping the old list');
      });
    }
    return cached.voices;
  }

  async function find(id: string): Promise<Voice | null> {
    const hit = (await list()).find((v) => v.id === id);
    if (hit !== undefined) return hit;
    if (cached !== null && now() - cached.at < MISS_REFRESH_MS) return null;
    return (await load().catch(() => [] as Voice[])).find((v) => v.id === id) ?? null;
  }

  /** Sample clips by voice and URL: a few short files, at most one per listed voice. */
  const samples = new Map<string, Promise<{ audio: Uint8Array; type: string }>>();
  const fetchSample = async (url: string): Promise<{ audio: Uint8Array; type: string }> => {
    const audio = await (deps.fetchFile ?? ((u: string) => fetchSpeechFile(u, { timeoutMs: 15_000 })))(url);
    return { audio, type: audioTypeOf(audio) };
  };

  const unknown = (voice: string): AvatarError =>
    new AvatarError('UNKNOWN_VOICE', `No voice "${voice}" in the service's list.`, { facts: { voice } });

  async function saved(platform: string, userId: string): Promise<Voice | null> {
    const id = await deps.store.getVoice(platform, userId);
    return id === null ? null : find(id);
  }

  return {
    list,
    find,
    saved,

    async choose(platform, userId, options = {}) {
      if (options.voiceId !== undefined) {
        const voice = await find(options.voiceId);
        if (voice === null) throw unknown(options.voiceId);
        return voice;
      }
      const savedId = await deps.store.getVoice(platform, userId);
      if (savedId !== null) {
        const mine = await find(savedId);
        // Not a silent swap: the person chose that voice, so they are told it is gone and how to pick another.
        if (mine === null) {
          throw new AvatarError('UNKNOWN_VOICE', `The saved voice "${savedId}" is no longer listed.`, {
            reason: 'WITHDRAWN',
            facts: { voice: savedId },
          });
        }
        return mine;
      }
      if (config.defaultVoiceId !== undefined) {
        const voice = await find(config.defaultVoiceId);
        if (voice !== null) return voice;
        deps.logger?.warn({ voice: config.defaultVoiceId }, 'DEFAULT_VOICE_ID is not in the voice list; using the first premade voice');
      }
      const voices = await list();
      const premade = voices.filter((v) => v.premade);
      const pool = premade.length > 0 ? premade : voices;
      const inLanguage = options.locale === undefined ? undefined : pool.find((v) => speaksLanguageOf(v, options.locale ?? ''));
      const voice = inLanguage ?? pool[0];
      if (voice === undefined) {
        throw new AvatarError('UNKNOWN_VOICE', 'The avatar service lists no voices.', { reason: 'NO_VOICES' });
      }
      return voice;
    },

    async save(platform, userId, voiceId) {
      const voice = await find(voiceId);
      if (voice === null) throw unknown(voiceId);
      await deps.store.saveVoice(platform, userId, voice.id, now());
      return voice;
    },

    clear: (platform, userId) => deps.store.clearVoice(platform, userId),

    async sample(voiceId) {
      const voice = await find(voiceId);
      if (voice === null || voice.sampleUrl === null) return null;
      const key = `${voice.id} ${voice.sampleUrl}`;
      let clip = samples.get(key);
      if (clip === undefined) {
        clip = fetchSample(voice.sampleUrl);
        samples.set(key, clip);
        // A failed fetch is not kept: the next ask tries again.
        clip.catch(() => samples.delete(key));
      }
      return clip;
    },
  };
}
