/**
 * A loopback Slack: the Web API (`POST /api/<method>`, form or JSON bodies) and the private
 * file host (`/files/...`) on one server, recording every call with the Authorization header
 * it carried. Answers are shaped like Slack's, enough for Bolt and WebClient (auth.test,
 * chat.*, conversations.replies, files.info, the external upload flow, oauth.v2.access).
 *
 * Several workspaces: the one from the options plus any `addWorkspace` adds, each with its own
 * bot token. A token works only in its own workspace (messages, uploads and files are bound to
 * the team of the token that made them), and `issueCode` stands for a person approving the
 * install on Slack's authorize page: `oauth.v2.access` exchanges that code, once, for the
 * workspace's bot token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFakeHomeAndDeletes, type FakeHomeAndDeletes } from './fake-home-and-deletes.js';
import type { ForeignHost } from './foreign-host.js';
import { close, json, listen, parseParams, readAll, structured, uploadedBytes } from './http-util.js';

/** The app credentials the fake expects by default (SLACK_CLIENT_ID / SLACK_CLIENT_SECRET in tests). */
export const FAKE_CLIENT_ID = '1111.2222';
export const FAKE_CLIENT_SECRET = 'fake-client-secret';

export interface FakeSlackOptions {
  botToken: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Where "foreign" and "redirect" files really live. */
  foreign?: ForeignHost;
  /** The app's OAuth credentials oauth.v2.access checks (defaults below). */
  clientId?: string;
  clientSecret?: string;
  appId?: string;
}

/** One workspace the app is (or can be) installed in. */
export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
}

interface ApiCall {
  method: string;
  authorization: string | undefined;
  params: Record<string, unknown>;
  /** The workspace of the token the call used (undefined: no valid token). */
  team?: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown;
  user?: string;
  bot_id?: string;
  files?: unknown[];
  /** How many chat.update calls edited it. */
  edits: number;
  /** The workspace it was posted in (bot messages). */
  team?: string;
}

interface FileRequest {
  path: string;
  authorization: string | undefined;
}

/** What the bot POSTed to a response_url (Bolt's `respond`). */
interface FakeResponse {
  url: string;
  body: Record<string, unknown>;
}

interface FakeUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  completed: { channel_id: string | undefined; thread_ts: string | undefined } | null;
  /** The workspace whose token asked for the upload URL. */
  team: string;
  /** Set by files.delete. */
  deleted?: boolean;
}

interface AddFileOptions {
  name: string;
  mimetype: string;
  bytes: Uint8Array;
  subtype?: string;
  /** 'slack' (default): served here; 'foreign': url_private on the foreign host; 'redirect': here, 302 to the foreign host. */
  where?: 'slack' | 'foreign' | 'redirect';
  isExternal?: boolean;
  /** Event carries only a Slack Connect stub; details come from files.info. */
  stub?: boolean;
  /** The workspace the file belongs to (default: the options' team). Only its token downloads it. */
  team?: string;
}

export interface FakeSlack {
  readonly url: string;
  /** The Web API base for SLACK_API_URL. */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly appId: string;
  readonly calls: ApiCall[];
  readonly messages: FakeMessage[];
  readonly fileRequests: FileRequest[];
  readonly uploads: FakeUpload[];
  readonly responses: FakeResponse[];
  /** views.publish (App Home) and the deletes: see fake-home-and-deletes.ts. */
  readonly home: FakeHomeAndDeletes;
  /** A new response_url on this fake (one per command or action, like Slack's). */
  responseUrl(): string;
  /** The app's DM channel with a person (where chat.postMessage to their user id lands). */
  dmOf(user: string): string;
  callsOf(method: string): ApiCall[];
  /** A file object as events carry it. */
  addFile(opts: AddFileOptions): Record<string, unknown>;
  /** A person's message in the channel history (for conversations.replies); returns it with its ts. */
  addMessage(msg: Omit<FakeMessage, 'edits' | 'ts'> & { ts?: string }): FakeMessage;
  /** The bot's messages in a thread, oldest first (any workspace's bot user). */
  botMessagesIn(channel: string, threadTs: string): FakeMessage[];
  /** Adds a workspace with its own bot token (not installed until a code is exchanged, but the token works). */
  addWorkspace(w: { teamId: string; botToken: string; teamName?: string; botUserId?: string; botId?: string }): FakeWorkspace;
  /** The code Slack's authorize page would send to the redirect URL once a person approves the install. */
  issueCode(teamId: string, opts?: { scope?: string; userId?: string }): string;
  workspace(teamId: string): FakeWorkspace | undefined;
  /** Web API calls of `method` wait (recorded, unanswered) until the returned release is called. */
  hold(method: string): () => void;
  nextTs(): string;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createFakeSlack(opts: FakeSlackOptions): FakeSlack {
  const teamId = opts.teamId ?? 'T0TEAM';
  const botUserId = opts.botUserId ?? 'U0BOT';
  const botId = opts.botId ?? 'B0BOT';
  const clientId = opts.clientId ?? FAKE_CLIENT_ID;
  const clientSecret = opts.clientSecret ?? FAKE_CLIENT_SECRET;
  const appId = opts.appId ?? 'A0APP';
  const calls: ApiCall[] = [];
  const messages: FakeMessage[] = [];
  const fileRequests: FileRequest[] = [];
  const uploads: FakeUpload[] = [];
  const responses: FakeResponse[] = [];
  let responseCounter = 0;
  const home = createFakeHomeAndDeletes({ messages, uploads });
  const dmOf = (user: string): string => `D${user.replace(/^[UW]/, '')}`;
  const files = new Map<string, { meta: Record<string, unknown>; bytes: Uint8Array; where: string; foreignUrl?: string; team: string }>();
  const workspaces = new Map<string, FakeWorkspace>();
  const byToken = new Map<string, FakeWorkspace>();
  const codes = new Map<string, { teamId: string; scope: string; userId: string }>();
  let url = '';
  let counter = 0;
  let fileCounter = 0;
  let codeCounter = 0;

  function addWorkspace(w: { teamId: string; botToken: string; teamName?: string; botUserId?: string; botId?: string }): FakeWorkspace {
    const n = workspaces.size;
    const ws: FakeWorkspace = {
      teamId: w.teamId,
      teamName: w.teamName ?? `Team ${w.teamId}`,
      botToken: w.botToken,
      botUserId: w.botUserId ?? (n === 0 ? 'U0BOT' : `U0BOT${n}`),
      botId: w.botId ?? (n === 0 ? 'B0BOT' : `B0BOT${n}`),
    };
    workspaces.set(ws.teamId, ws);
    byToken.set(ws.botToken, ws);
    return ws;
  }
  addWorkspace({ teamId, botToken: opts.botToken, teamName: 'Fake', botUserId, botId });

  /** oauth.v2.access: no token, the app's credentials and a one-time code (shape of Slack's answer). */
  function exchangeCode(p: Record<string, unknown>, authorization: string | undefined): Record<string, unknown> {
    let id = typeof p['client_id'] === 'string' ? p['client_id'] : undefined;
    let secret = typeof p['client_secret'] === 'string' ? p['client_secret'] : undefined;
    // Slack also takes the credentials as HTTP Basic auth.
    if (authorization?.startsWith('Basic ') === true) {
      const [u, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      id ??= u;
      secret ??= pw;
    }
    if (id !== clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== clientSecret) return { ok: false, error: 'bad_client_secret' };
    const code = typeof p['code'] === 'string' ? p['code'] : '';
    const grant = codes.get(code);
    if (grant === undefined) return { ok: false, error: 'invalid_code' };
    codes.delete(code); // one use, like Slack's
    const ws = workspaces.get(grant.teamId);
    if (ws === undefined) return { ok: false, error: 'invalid_code' };
    return {
      ok: true,
      access_token: ws.botToken,
      token_type: 'bot',
      scope: grant.scope,
      bot_user_id: ws.botUserId,
      app_id: appId,
      team: { id: ws.teamId, name: ws.teamName },
      enterprise: null,
      authed_user: { id: grant.userId },
      is_enterprise_install: false,
    };
  }

  function nextTs(): string {
    counter += 1;
    return `${1_700_000_000 + counter}.${String(counter).padStart(6, '0')}`;
  }

  function api(method: string, p: Record<string, unknown>, ws: FakeWorkspace): Record<string, unknown> {
    const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: ws.teamName,
          user: 'avatarbot',
          team_id: ws.teamId,
          user_id: ws.botUserId,
          bot_id: ws.botId,
        };
      case 'chat.postMessage': {
        const to = str('channel');
        if (to === undefined) return { ok: false, error: 'channel_not_found' };
        // A user id: the app's DM with that person.
        const channel = /^[UW][A-Z0-9]+$/.test(to) ? dmOf(to) : to;
        const msg: FakeMessage = { channel, ts: nextTs(), user: ws.botUserId, bot_id: ws.botId, edits: 0, team: ws.teamId };
        const thread = str('thread_ts');
        if (thread !== undefined) msg.thread_ts = thread;
        const text = str('text');
        if (text !== undefined) msg.text = text;
        if (p['blocks'] !== undefined) msg.blocks = structured(p['blocks']);
        messages.push(msg);
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, ts: msg.ts } };
      }
      case 'chat.update': {
        const msg = messages.find((m) => m.channel === str('channel') && m.ts === str('ts'));
        // Another workspace's token cannot see (or edit) this workspace's messages.
        if (msg === undefined || (msg.team !== undefined && msg.team !== ws.teamId)) return { ok: false, error: 'message_not_found' };
        const text = str('text');
        if (text !== undefined) msg.text = text;
        if (p['blocks'] !== undefined) msg.blocks = structured(p['blocks']);
        msg.edits += 1;
        return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.replies': {
        const channel = str('channel');
        const ts = str('ts');
        const inThread = messages
          .filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts))
          .sort((a, b) => Number(a.ts) - Number(b.ts))
          .map(({ edits: _edits, channel: _c, ...rest }) => ({ type: 'message', ...rest }));
        return { ok: true, messages: inThread, has_more: false };
      }
      case 'files.info': {
        const f = files.get(str('file') ?? '');
        return f === undefined || f.team !== ws.teamId ? { ok: false, error: 'file_not_found' } : { ok: true, file: f.meta };
      }
      case 'files.getUploadURLExternal': {
        fileCounter += 1;
        const fileId = `F0UP${fileCounter}`;
        uploads.push({ fileId, filename: str('filename') ?? '', bytes: Buffer.alloc(0), completed: null, team: ws.teamId });
        return { ok: true, upload_url: `${url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const list = structured(p['files']);
        const ids = Array.isArray(list) ? list.map((f) => (f as Record<string, unknown>)['id']) : [];
        for (const up of uploads) {
          if (ids.includes(up.fileId) && up.team === ws.teamId)
            up.completed = { channel_id: str('channel_id'), thread_ts: str('thread_ts') };
        }
        return { ok: true, files: ids.map((id) => ({ id })) };
      }
      default:
        return home.handle(method, p, ws.teamId) ?? { ok: false, error: 'unknown_method' };
    }
  }

  const held = new Map<string, Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const authorization = req.headers['authorization'];
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const params = parseParams(await readAll(req), req.headers['content-type']);
      if (method === 'oauth.v2.access') {
        calls.push({ method, authorization, params });
        return json(res, 200, exchangeCode(params, authorization));
      }
      const token =
        typeof params['token'] === 'string'
          ? params['token']
          : authorization?.startsWith('Bearer ') === true
            ? authorization.slice(7)
            : undefined;
      const ws = token === undefined ? undefined : byToken.get(token);
      calls.push({ method, authorization, params, ...(ws === undefined ? {} : { team: ws.teamId }) });
      await held.get(method);
      if (ws === undefined) return json(res, 200, { ok: false, error: token === undefined ? 'not_authed' : 'invalid_auth' });
      return json(res, 200, api(method, params, ws));
    }
    if (req.method === 'POST' && path.startsWith('/response/')) {
      const parsed = parseParams(await readAll(req), req.headers['content-type']);
      responses.push({ url: `${url}${path}`, body: parsed });
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const up = uploads.find((u) => u.fileId === path.slice('/upload/'.length));
      if (up === undefined) return void res.writeHead(404).end();
      up.bytes = uploadedBytes(await readAll(req), req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${up.bytes.length}`);
      return;
    }
    if (req.method === 'GET' && (path.startsWith('/files/') || path.startsWith('/redirect/'))) {
      fileRequests.push({ path, authorization });
      const id = path.split('/')[2] ?? '';
      const f = files.get(id);
      if (f === undefined) return void res.writeHead(404).end();
      if (path.startsWith('/redirect/') && f.foreignUrl !== undefined) {
        res.writeHead(302, { location: f.foreignUrl }).end();
        return;
      }
      // Like Slack: without the token of the file's workspace, a 200 HTML login page instead of the file.
      const owner = workspaces.get(f.team);
      if (owner === undefined || authorization !== `Bearer ${owner.botToken}`) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
        return;
      }
      res.writeHead(200, { 'content-type': String(f.meta['mimetype']), 'content-length': f.bytes.byteLength });
      res.end(Buffer.from(f.bytes));
      return;
    }
    res.writeHead(404).end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  return {
    get url() {
      return url;
    },
    get apiUrl() {
      return `${url}/api/`;
    },
    teamId,
    botUserId,
    clientId,
    clientSecret,
    appId,
    calls,
    messages,
    fileRequests,
    uploads,
    responses,
    home,
    responseUrl() {
      responseCounter += 1;
      return `${url}/response/${responseCounter}`;
    },
    dmOf,
    callsOf: (method) => calls.filter((c) => c.method === method),
    addFile(o) {
      fileCounter += 1;
      const id = `F0FILE${fileCounter}`;
      const where = o.where ?? 'slack';
      let foreignUrl: string | undefined;
      if (where !== 'slack') {
        if (opts.foreign === undefined) throw new Error('addFile: a foreign host is needed');
        foreignUrl = opts.foreign.serve(`/ext/${id}/${o.name}`, o.bytes, o.mimetype);
      }
      const priv =
        where === 'foreign' && foreignUrl !== undefined
          ? foreignUrl
          : `${url}/${where === 'redirect' ? 'redirect' : 'files'}/${id}/${o.name}`;
      const meta: Record<string, unknown> = {
        id,
        name: o.name,
        title: o.name,
        mimetype: o.mimetype,
        filetype: o.name.split('.').pop() ?? '',
        size: o.bytes.byteLength,
        url_private: priv,
        url_private_download: `${priv}?download=1`,
        is_external: o.isExternal === true,
        ...(o.subtype === undefined ? {} : { subtype: o.subtype }),
      };
      files.set(id, { meta, bytes: o.bytes, where, team: o.team ?? teamId, ...(foreignUrl === undefined ? {} : { foreignUrl }) });
      return o.stub === true ? { id, mode: 'hidden_by_limit', file_access: 'check_file_info' } : { ...meta };
    },
    addMessage(m) {
      const msg: FakeMessage = { ...m, ts: m.ts ?? nextTs(), edits: 0 };
      messages.push(msg);
      return msg;
    },
    botMessagesIn(channel, threadTs) {
      const bots = new Set([...workspaces.values()].map((w) => w.botUserId));
      return messages.filter((m) => m.channel === channel && m.thread_ts === threadTs && m.user !== undefined && bots.has(m.user));
    },
    addWorkspace,
    issueCode(team, o = {}) {
      if (!workspaces.has(team)) throw new Error(`issueCode: unknown workspace ${team}`);
      codeCounter += 1;
      const code = `code-${team}-${codeCounter}-${Date.now()}`;
      codes.set(code, { teamId: team, scope: o.scope ?? 'chat:write', userId: o.userId ?? 'U0INSTALLER' });
      return code;
    },
    workspace: (team) => workspaces.get(team),
    hold(method) {
      let release = (): void => undefined;
      held.set(method, new Promise<void>((r) => (release = r)));
      return () => {
        held.delete(method);
        release();
      };
    },
    nextTs,
    async start() {
      url = await listen(server);
    },
    close: () => close(server),
  };
}
