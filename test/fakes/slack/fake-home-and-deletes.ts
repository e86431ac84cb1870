/**
 * The fake Slack's `views.publish` (App Home tabs, recorded per person) and its deletes
 * (`chat.delete`, `files.delete`), shaped as Slack answers them: a message or file of another
 * workspace, or one already deleted, is not found; a deleted upload is gone from the thread.
 */
import { structured } from './http-util.js';

interface FakeView {
  user: string;
  team: string;
  view: Record<string, unknown>;
}

interface DeletableMessage {
  channel: string;
  ts: string;
  team?: string;
}

interface DeletableUpload {
  fileId: string;
  team: string;
  deleted?: boolean;
}

export interface FakeHomeAndDeletes {
  /** Every views.publish accepted, oldest first. */
  readonly views: FakeView[];
  /** Messages removed by chat.delete. */
  readonly deletedMessages: { channel: string; ts: string }[];
  /** When set, views.publish answers this error (e.g. `not_enabled`: the app has no Home tab). */
  viewsError: string | null;
  /** Answers the methods it knows; undefined for the others. */
  handle(method: string, p: Record<string, unknown>, team: string): Record<string, unknown> | undefined;
}

export function createFakeHomeAndDeletes(state: { messages: DeletableMessage[]; uploads: DeletableUpload[] }): FakeHomeAndDeletes {
  const views: FakeView[] = [];
  const deletedMessages: { channel: string; ts: string }[] = [];
  let viewCounter = 0;
  const out: FakeHomeAndDeletes = {
    views,
    deletedMessages,
    viewsError: null,
    handle(method, p, team) {
      const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
      switch (method) {
        case 'views.publish': {
          if (out.viewsError !== null) return { ok: false, error: out.viewsError };
          const user = str('user_id');
          const view = structured(p['view']);
          if (user === undefined || typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_arguments' };
          const v = view as Record<string, unknown>;
          if (v['type'] !== 'home' || !Array.isArray(v['blocks'])) return { ok: false, error: 'invalid_arguments' };
          if (v['blocks'].length > 100) return { ok: false, error: 'invalid_blocks' };
          views.push({ user, team, view: v });
          viewCounter += 1;
          return { ok: true, view: { id: `V0HOME${viewCounter}`, team_id: team, type: 'home', blocks: v['blocks'] } };
        }
        case 'chat.delete': {
          const i = state.messages.findIndex((m) => m.channel === str('channel') && m.ts === str('ts'));
          const msg = state.messages[i];
          if (msg === undefined || (msg.team !== undefined && msg.team !== team)) return { ok: false, error: 'message_not_found' };
          state.messages.splice(i, 1);
          deletedMessages.push({ channel: msg.channel, ts: msg.ts });
          return { ok: true, channel: msg.channel, ts: msg.ts };
        }
        case 'files.delete': {
          const up = state.uploads.find((u) => u.fileId === str('file') && u.team === team);
          if (up === undefined) return { ok: false, error: 'file_not_found' };
          if (up.deleted === true) return { ok: false, error: 'file_deleted' };
          up.deleted = true;
          return { ok: true };
        }
        default:
          return undefined;
      }
    },
  };
  return out;
}
