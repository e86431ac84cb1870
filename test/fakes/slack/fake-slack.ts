/**
 * A loopback Slack: the Web API (`POST /api/<method>`, form or JSON bodies) and the private
 * file host (`/files/...`) on one server, recording every call with the Authorization header
 * it carried. Answers are shaped like Slack's, enough for Bolt and WebClient (auth.test,
 * chat.*, conversations.replies, files.info, the external upload flow).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ForeignHost } from './foreign-host.js';
import { close, json, listen, parseParams, readAll, structured } from './http-util.js';

export interface FakeSlackOptions {
  botToken: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Where "foreign" and "redirect" files really live. */
  foreign?: ForeignHost;
}

export interface ApiCall {
  method: string;
  authorization: string | undefined;
  params: Record<string, unknown>;
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
}

export interface FileRequest {
  path: string;
  authorization: string | undefined;
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  completed: { channel_id: string | undefined; thread_ts: string | undefined } | null;
}

export interface AddFileOptions {
  name: string;
  mimetype: string;
  bytes: Uint8Array;
  subtype?: string;
  /** 'slack' (default): served here; 'foreign': url_private on the foreign host; 'redirect': here, 302 to the foreign host. */
  where?: 'slack' | 'foreign' | 'redirect';
  isExternal?: boolean;
  /** Event carries only a Slack Connect stub; details come from files.info. */
  stub?: boolean;
}

export interface FakeSlack {
  readonly url: string;
  /** The Web API base for SLACK_API_URL. */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly calls: ApiCall[];
  readonly messages: FakeMessage[];
  readonly fileRequests: FileRequest[];
  readonly uploads: FakeUpload[];
  callsOf(method: string): ApiCall[];
  /** A file object as events carry it. */
  addFile(opts: AddFileOptions): Record<string, unknown>;
  /** A person's message in the channel history (for conversations.replies); returns it with its ts. */
  addMessage(msg: Omit<FakeMessage, 'edits' | 'ts'> & { ts?: string }): FakeMessage;
  /** The bot's messages in a thread, oldest first. */
  botMessagesIn(channel: string, threadTs: string): FakeMessage[];
  nextTs(): string;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createFakeSlack(opts: FakeSlackOptions): FakeSlack {
  const teamId = opts.teamId ?? 'T0TEAM';
  const botUserId = opts.botUserId ?? 'U0BOT';
  const botId = opts.botId ?? 'B0BOT';
  const calls: ApiCall[] = [];
  const messages: FakeMessage[] = [];
  const fileRequests: FileRequest[] = [];
  const uploads: FakeUpload[] = [];
  const files = new Map<string, { meta: Record<string, unknown>; bytes: Uint8Array; where: string; foreignUrl?: string }>();
  let url = '';
  let counter = 0;
  let fileCounter = 0;

  function nextTs(): string {
    counter += 1;
    return `${1_700_000_000 + counter}.${String(counter).padStart(6, '0')}`;
  }

  function api(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string): string | undefined => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'avatarbot', team_id: teamId, user_id: botUserId, bot_id: botId };
      case 'chat.postMessage': {
        const channel = str('channel');
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        const msg: FakeMessage = { channel, ts: nextTs(), user: botUserId, bot_id: botId, edits: 0 };
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
        if (msg === undefined) return { ok: false, error: 'message_not_found' };
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
        return f === undefined ? { ok: false, error: 'file_not_found' } : { ok: true, file: f.meta };
      }
      case 'files.getUploadURLExternal': {
        fileCounter += 1;
        const fileId = `F0UP${fileCounter}`;
        uploads.push({ fileId, filename: str('filename') ?? '', bytes: Buffer.alloc(0), completed: null });
        return { ok: true, upload_url: `${url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const list = structured(p['files']);
        const ids = Array.isArray(list) ? list.map((f) => (f as Record<string, unknown>)['id']) : [];
        for (const up of uploads) {
          if (ids.includes(up.fileId)) up.completed = { channel_id: str('channel_id'), thread_ts: str('thread_ts') };
        }
        return { ok: true, files: ids.map((id) => ({ id })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const authorization = req.headers['authorization'];
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const params = parseParams(await readAll(req), req.headers['content-type']);
      calls.push({ method, authorization, params });
      const token = typeof params['token'] === 'string' ? `Bearer ${params['token']}` : authorization;
      if (token !== `Bearer ${opts.botToken}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
      return json(res, 200, api(method, params));
    }
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const up = uploads.find((u) => u.fileId === path.slice('/upload/'.length));
      if (up === undefined) return void res.writeHead(404).end();
      up.bytes = await readAll(req);
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
      // Like Slack: without the token, a 200 HTML login page instead of the file.
      if (authorization !== `Bearer ${opts.botToken}`) {
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
    calls,
    messages,
    fileRequests,
    uploads,
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
        where === 'foreign' && foreignUrl !== undefined ? foreignUrl : `${url}/${where === 'redirect' ? 'redirect' : 'files'}/${id}/${o.name}`;
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
      files.set(id, { meta, bytes: o.bytes, where, ...(foreignUrl === undefined ? {} : { foreignUrl }) });
      return o.stub === true ? { id, mode: 'hidden_by_limit', file_access: 'check_file_info' } : { ...meta };
    },
    addMessage(m) {
      const msg: FakeMessage = { ...m, ts: m.ts ?? nextTs(), edits: 0 };
      messages.push(msg);
      return msg;
    },
    botMessagesIn(channel, threadTs) {
      return messages.filter((m) => m.channel === channel && m.thread_ts === threadTs && m.user === botUserId);
    },
    nextTs,
    async start() {
      url = await listen(server);
    },
    close: () => close(server),
  };
}
