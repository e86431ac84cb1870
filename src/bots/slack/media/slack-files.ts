/**
 * Turns a Slack file into the core's `MediaInput`: `load` resolves Slack Connect stubs with
 * `files.info`, refuses external files and URLs off Slack's hosts (the token must never go
 * there), downloads with the size cap, and remembers the bytes so a second `load` does not
 * download again.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { AvatarError, MediaError, type MediaKind } from '../../../core/errors.js';
import type { AvatarCore, MediaInput } from '../../../core/ports.js';
import { downloadCapped, toMediaFailure, type Downloaded } from '../../shared/download.js';
import { field } from '../../shared/json.js';
import { toSlackFile, type SlackFile } from './files.js';
import { slackFilePolicy, type TokenHostCheck } from './token-hosts.js';

export interface SlackMediaDeps {
  client: webApi.WebClient;
  token: string;
  mayReceiveToken: TokenHostCheck;
  core: AvatarCore;
  logger: Logger;
}

async function resolveStub(file: SlackFile, deps: SlackMediaDeps): Promise<SlackFile> {
  if (!file.isStub) return file;
  let info: unknown;
  try {
    info = await deps.client.files.info({ file: file.id });
  } catch (err) {
    throw new AvatarError('DOWNLOAD_FAILED', 'Slack did not let me read that file.', {
      detail: `files.info ${file.id}: ${err instanceof Error ? err.message : String(err)}`,
      cause: err,
    });
  }
  const full = toSlackFile(field(info, 'file'));
  if (full === null || (full.urlPrivate === undefined && full.urlPrivateDownload === undefined)) {
    throw new AvatarError('DOWNLOAD_FAILED', 'Slack did not give me a download link for that file.', {
      detail: `files.info ${file.id}: no url`,
    });
  }
  return { ...full, isStub: false };
}

/**
 * Replaces Slack Connect stubs by their `files.info` details so the clip and the image can be
 * told apart (metadata only: nothing is downloaded). A stub that cannot be resolved is kept:
 * its download fails later with a clear answer.
 */
export async function resolveStubs(files: readonly SlackFile[], deps: SlackMediaDeps): Promise<SlackFile[]> {
  return Promise.all(
    files.map(async (f) => {
      if (!f.isStub) return f;
      try {
        return await resolveStub(f, deps);
      } catch (err) {
        deps.logger.warn({ fileId: f.id, code: err instanceof AvatarError ? err.code : 'INTERNAL' }, 'slack stub not resolved');
        return f;
      }
    }),
  );
}

/** The bytes of a Slack file, with every security rule applied. */
async function downloadSlackFile(file: SlackFile, kind: MediaKind, maxBytes: number, deps: SlackMediaDeps): Promise<Uint8Array> {
  const resolved = await resolveStub(file, deps);
  const url = resolved.urlPrivateDownload ?? resolved.urlPrivate;
  if (resolved.isExternal || url === undefined) {
    throw new AvatarError('DOWNLOAD_FAILED', 'That file is stored outside Slack, so I cannot fetch it.', {
      detail: `external file ${file.id}`,
      reason: 'EXTERNAL',
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AvatarError('DOWNLOAD_FAILED', 'That file has no usable link.', { detail: `bad url for ${file.id}` });
  }
  if (!deps.mayReceiveToken(parsed)) {
    // A private URL off Slack's hosts: refusing is the only way to be sure the token stays home.
    deps.logger.warn({ fileId: file.id, host: parsed.host }, 'slack file on a foreign host refused');
    throw new AvatarError('DOWNLOAD_FAILED', 'That file is not hosted by Slack, so I cannot fetch it.', {
      detail: `foreign host ${parsed.host}`,
      reason: 'FOREIGN_HOST',
    });
  }
  let result: Downloaded;
  try {
    result = await downloadCapped(parsed.toString(), {
      maxBytes,
      policy: slackFilePolicy(deps.token, deps.mayReceiveToken),
      timeoutMs: 30_000,
    });
  } catch (err) {
    throw toMediaFailure(err, kind, {
      limit: maxBytes,
      failed: 'The file could not be fetched.',
    });
  }
  // Without files:read Slack answers a 200 HTML login page instead of the file.
  if (result.contentType?.startsWith('text/html') === true) {
    throw new AvatarError('DOWNLOAD_FAILED', 'Slack sent a web page instead of the file (is the files:read scope granted?).', {
      detail: `html for ${file.id}`,
      reason: 'HTML',
    });
  }
  if (kind === 'audio') {
    // Declared types only chose the candidate: the bytes must really be audio (or a clip with sound).
    const sniffed = await deps.core.sniff(result.bytes);
    if (sniffed.kind !== 'audio' && sniffed.kind !== 'video') {
      const reason = sniffed.kind === 'image' ? 'WRONG_KIND' : 'NOT_AUDIO';
      throw new MediaError('audio', reason, `audio: sniffed ${sniffed.kind} (${sniffed.mime ?? 'unknown type'})`);
    }
  }
  return result.bytes;
}

/** A memoised MediaInput over a Slack file. */
export function slackMediaInput(file: SlackFile, kind: MediaKind, deps: SlackMediaDeps): MediaInput {
  let cached: Promise<Uint8Array> | undefined;
  const input: MediaInput = {
    load(maxBytes: number) {
      cached ??= downloadSlackFile(file, kind, maxBytes, deps);
      const p = cached;
      // A failed attempt may be retried by a later call.
      p.catch(() => {
        if (cached === p) cached = undefined;
      });
      return p;
    },
  };
  if (file.name !== undefined) input.name = file.name;
  if (file.mimetype !== undefined) input.declaredType = file.mimetype;
  if (file.size !== undefined && !file.isStub) input.declaredSize = file.size;
  return input;
}
