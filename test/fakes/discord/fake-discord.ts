/**
 * A fake Discord on loopback: REST v10 (the routes the bot uses) and a JSON gateway good
 * enough for the real discord.js v14 client to log in, receive interactions and messages, and
 * answer them. Every REST request is recorded for assertions.
 *
 * Sharding as Discord does it: `GET /gateway/bot` recommends `recommendedShards`; each IDENTIFY
 * names its `shard: [id, count]` (none means `[0, 1]`); a session's READY lists only the guilds
 * its shard owns (`(guild_id >> 22) % count`), and guild dispatches go only to the owning
 * session(s), everything without a guild (DMs) to shard 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { choiceProblems, commandProblems } from './command-rules.js';
import { createFormsState, IS_COMPONENTS_V2, modalProblems, v2Refusal, type FormsState } from './forms.js';
import { memberJson, messageJson, snowflake, userJson, type FakeAttachmentSpec, type FakeUser, type Json } from './payloads.js';
import { createFakeDms, forcesPrivate, type FakeDms } from './user-install.js';

interface RecordedPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  size: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/channels/1/messages`. */
  path: string;
  query: Record<string, string>;
  auth: string | null;
  /** The JSON body, or for multipart the parsed `payload_json`. */
  json: unknown;
  /** Multipart file parts (files[n]) with their sizes; empty for JSON bodies. */
  files: RecordedPart[];
  status: number;
  at: number;
  /** Order among all requests and attachment downloads. */
  seq: number;
}

interface RecordedDownload {
  path: string;
  seq: number;
}

export interface FakeDiscordOptions {
  token?: string;
  /** `shards` in `GET /gateway/bot` (what `shards: 'auto'` opens). Default 1. */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` (identify buckets; 1 means one IDENTIFY per 5 s). Default 1. */
  maxConcurrency?: number;
  /** More guilds the bot is in, besides `guildId` (each with one text channel). */
  extraGuilds?: string[];
  /** When false, READY lists no guild (the bot is in no server). Default true. */
  inGuild?: boolean;
  /** Interaction tokens older than this are refused with 401 / 50027, like Discord after 15 min. */
  interactionTokenTtlMs?: number;
  /** When false, an IDENTIFY asking for MESSAGE_CONTENT is closed with 4014. Default true. */
  allowMessageContent?: boolean;
  /** When false, the application has user install off (only server install). Default true. */
  userInstall?: boolean;
}

export type ShardPair = [id: number, count: number];

interface RecordedIdentify {
  /** The `shard` field as sent, or null when the IDENTIFY had none. */
  shard: ShardPair | null;
  intents: number;
  /** Guild ids the session's READY listed (empty when the IDENTIFY was refused). */
  readyGuilds: string[];
}

interface RecordedDelivery {
  /** Dispatch type, e.g. INTERACTION_CREATE. */
  t: string;
  guildId: string | null;
  /** The shard of the session that got it. */
  shard: ShardPair;
}

export interface FakeGuild {
  id: string;
  channelId: string;
}

/** The shard that owns a guild, as Discord computes it. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A fresh snowflake (e.g. a guild id) that shard `shard` of `shardCount` owns. */
export function snowflakeOnShard(shard: number, shardCount: number): string {
  const id = BigInt(snowflake());
  const ts = id >> 22n;
  const n = BigInt(shardCount);
  return (((ts - (ts % n) + BigInt(shard)) << 22n) | (id & 0x3fffffn)).toString();
}

export interface FakeDiscord {
  /** Base for discord.js `rest.api` (ends in `/api`, no version). */
  readonly apiUrl: string;
  readonly origin: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly guildId: string;
  readonly channelId: string;
  /** Every guild the bot is in: `guildId` first, then `extraGuilds`. */
  readonly guilds: readonly FakeGuild[];
  readonly requests: RecordedRequest[];
  /** Every attachment download served from the fake's own host. */
  readonly downloads: RecordedDownload[];
  readonly messages: Map<string, Json>;
  readonly commands: { global: Json[]; guild: Map<string, Json[]> };
  /** The DM channels the bot opened (user-install.ts). */
  readonly dms: FakeDms;
  /** Modals opened, and the switch that refuses Components V2 messages (see forms.ts). */
  readonly forms: FormsState;
  /** Intents of the last IDENTIFY, and the query strings the gateway was opened with. */
  readonly gateway: { identifies: number; lastIntents: number | null; queries: string[]; resumes: number };
  /** Serves `bytes` from the fake's own host and returns the attachment object pointing there. */
  addAttachment(spec: FakeAttachmentSpec): Json;
  /** A URL on the fake that redirects (302) to `location`. */
  redirectUrl(location: string): string;
  /** Stores a message so REST GET finds it (e.g. a voice message a mention replies to). */
  seedMessage(message: Json): Json;
  /** Every IDENTIFY received, in order, with its shard. */
  identifies(): RecordedIdentify[];
  /** Every dispatch pushed by `dispatch` / `sendInteraction`, once per session that got it. */
  readonly deliveries: RecordedDelivery[];
  /**
   * Pushes a gateway dispatch to the identified sessions whose shard owns its guild (`guild_id`,
   * or `id` for GUILD_* events); without a guild, to shard 0.
   */
  dispatch(type: string, data: unknown): void;
  /** Dispatches INTERACTION_CREATE and remembers the token's age (for the expiry window). */
  sendInteraction(interaction: Json): void;
  /** The interaction's own response message (`@original`), once it exists. */
  originalOf(interactionToken: string): Json | undefined;
  /** Polls (every 20 ms, bounded) until `check` returns a value. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Requests matching method and a path regex. */
  find(method: string, path: RegExp): RecordedRequest[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';
const GUILD_PERMISSIONS = '2248473465835073';

async function readBody(req: IncomingMessage, cap = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > cap) throw new Error('body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

interface ParsedBody {
  json: unknown;
  files: Array<RecordedPart & { bytes: Uint8Array }>;
}

async function parseBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: null, files: [] };
  if (type.startsWith('multipart/form-data')) {
    // undici's Response parses multipart the way a server would.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    let json: unknown = null;
    const files: ParsedBody['files'] = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') {
        if (name === 'payload_json') json = JSON.parse(value);
      } else {
        const bytes = new Uint8Array(await value.arrayBuffer());
        files.push({ name, filename: value.name, contentType: value.type || undefined, size: bytes.length, bytes });
      }
    }
    return { json, files };
  }
  return { json: JSON.parse(raw.toString('utf8')), files: [] };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? 'fake-bot-token.abc.def';
  const applicationId = snowflake();
  const botUser: FakeUser = { id: applicationId, username: 'AvatarBot', bot: true };
  const guildId = snowflake();
  const channelId = snowflake();
  const guilds: FakeGuild[] = [{ id: guildId, channelId }, ...(options.extraGuilds ?? []).map((id) => ({ id, channelId: snowflake() }))];
  const guildOfChannel = new Map(guilds.map((g) => [g.channelId, g.id]));
  const recommendedShards = options.recommendedShards ?? 1;
  const maxConcurrency = options.maxConcurrency ?? 1;
  const identifyLog: RecordedIdentify[] = [];
  const deliveries: RecordedDelivery[] = [];
  /** session_id -> its shard, so a RESUME keeps the shard. */
  const sessionShards = new Map<string, ShardPair>();
  const inGuild = options.inGuild ?? true;
  const allowMessageContent = options.allowMessageContent ?? true;
  const enabledKinds = options.userInstall === false ? [0] : [0, 1];

  const requests: RecordedRequest[] = [];
  const downloads: RecordedDownload[] = [];
  let seq = 0;
  const messages = new Map<string, Json>();
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const redirects = new Map<string, string>();
  const commands = { global: [] as Json[], guild: new Map<string, Json[]>() };
  const gateway = { identifies: 0, lastIntents: null as number | null, queries: [] as string[], resumes: 0 };
  /** interaction token -> when it was issued, its type, the original response id, the component's message. */
  const tokens = new Map<
    string,
    {
      issuedAt: number;
      interactionId: string;
      interactionType: number;
      originalId?: string;
      componentMessageId?: string;
      /** Every answer is made private (user install, Use External Apps off). */
      forcedPrivate?: boolean;
    }
  >();
  const dms = createFakeDms();
  const interactionsById = new Map<string, string>();
  let origin = '';
  const forms = createFormsState();

  const botAuthOk = (req: IncomingMessage): boolean => req.headers.authorization === `Bot ${token}`;

  function attachmentsFrom(parsed: ParsedBody, channel: string): Json[] {
    return parsed.files.map((f) => {
      const id = snowflake();
      const path = `/attachments/${channel}/${id}/${f.filename ?? 'file'}`;
      files.set(path, { bytes: f.bytes, type: f.contentType ?? 'application/octet-stream' });
      return {
        id,
        filename: f.filename ?? 'file',
        size: f.size,
        url: `${origin}${path}`,
        proxy_url: `${origin}${path}`,
        content_type: f.contentType,
      };
    });
  }

  function botMessage(channel: string, body: Json, parsed: ParsedBody, extra: Partial<Parameters<typeof messageJson>[0]>): Json {
    const ref = body.message_reference as { message_id?: string } | undefined;
    const guild = guildOfChannel.get(channel) ?? guildId;
    const msg = messageJson({
      channelId: channel,
      guildId: guild,
      author: botUser,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      attachments: attachmentsFrom(parsed, channel),
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...(ref?.message_id !== undefined ? { reference: { messageId: ref.message_id, channelId: channel, guildId: guild } } : {}),
      ...extra,
    });
    messages.set(String(msg.id), msg);
    return msg;
  }

  function editMessage(msg: Json, body: Json, parsed: ParsedBody): Json {
    if (typeof body.content === 'string') msg.content = body.content;
    if (typeof body.flags === 'number') msg.flags = Number(msg.flags ?? 0) | (body.flags & IS_COMPONENTS_V2);
    if (Array.isArray(body.embeds)) msg.embeds = body.embeds;
    if (Array.isArray(body.components)) msg.components = body.components;
    if (parsed.files.length > 0) msg.attachments = attachmentsFrom(parsed, String(msg.channel_id));
    else if (Array.isArray(body.attachments)) {
      // Keep only attachments the edit lists by id (Discord drops the rest).
      const keep = new Set((body.attachments as Json[]).map((a) => String(a.id)));
      msg.attachments = ((msg.attachments as Json[] | undefined) ?? []).filter((a) => keep.has(String(a.id)));
    }
    msg.edited_timestamp = new Date().toISOString();
    return msg;
  }

  function tokenState(tok: string): ReturnType<typeof tokens.get> | 'expired' {
    const t = tokens.get(tok);
    if (t === undefined) return undefined;
    if (options.interactionTokenTtlMs !== undefined && Date.now() - t.issuedAt > options.interactionTokenTtlMs) return 'expired';
    return t;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<number> {
    const method = req.method ?? 'GET';
    const path = record.path;
    const parsed = method === 'GET' || method === 'DELETE' ? { json: null, files: [] } : await parseBody(req);
    record.json = parsed.json;
    record.files = parsed.files.map(({ bytes: _b, ...rest }) => rest);
    const body = (parsed.json ?? {}) as Json;
    let m: RegExpMatchArray | null;

    const reply = (status: number, payload?: unknown): number => {
      send(res, status, payload);
      return status;
    };
    const unauthorized = (): number => reply(401, { message: '401: Unauthorized', code: 0 });
    if ((method === 'POST' || method === 'PATCH') && !path.endsWith('/callback')) {
      const listed = Array.isArray(body.attachments) ? (body.attachments as Json[]).map((a) => String(a.filename)) : [];
      const refused = v2Refusal(forms, body, [...parsed.files.map((f) => f.filename ?? 'file'), ...listed]);
      if (refused !== null) return reply(refused.status, refused.body);
    }

    // Interaction callbacks and webhooks authenticate by token in the path, not the header.
    if ((m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && method === 'POST') {
      const [, interactionId, tok] = m as unknown as [string, string, string];
      // The callback has its own 3 s window; the webhook-token expiry below is the 15-minute one.
      const state = tokens.get(tok);
      if (state === undefined || state.interactionId !== interactionId) {
        return reply(404, { message: 'Unknown interaction', code: 10062 });
      }
      const type = Number(body.type);
      const data = (body.data ?? {}) as Json;
      // An autocomplete interaction (type 4) takes only choices (callback 8), and only it does.
      if ((state.interactionType === 4) !== (type === 8)) {
        return reply(400, { message: 'Interaction callback type not valid for this interaction', code: 50035 });
      }
      if (type === 8) {
        const problems = choiceProblems(data);
        if (problems.length > 0) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        return reply(204);
      }
      if (type === 9) {
        // A modal answers a command or a component, never a modal submit; it shows no message.
        if (state.interactionType !== 2 && state.interactionType !== 3) {
          return reply(400, { message: 'Interaction callback type not valid for this interaction', code: 50035 });
        }
        const problems = modalProblems(data);
        if (problems.length > 0) return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        forms.modals.push({ token: tok, data });
        return reply(204);
      }
      let message: Json | undefined;
      if (type === 4 || type === 5) {
        message = botMessage(
          channelOfToken.get(tok) ?? channelId,
          type === 4 ? data : { flags: data.flags },
          type === 4 ? parsed : { json: null, files: [] },
          {
            applicationId,
            webhookId: applicationId,
            type: 20,
          },
        );
        if (type === 5) message.flags = Number(message.flags ?? 0) | 128; // "thinking..."
        if (state.forcedPrivate === true) message.flags = Number(message.flags ?? 0) | 64;
        state.originalId = String(message.id);
      } else if (type === 6 || type === 7) {
        const target = state.componentMessageId !== undefined ? messages.get(state.componentMessageId) : undefined;
        if (target === undefined) return reply(400, { message: 'Invalid interaction type', code: 50035 });
        if (type === 7) editMessage(target, data, parsed);
        state.originalId = String(target.id);
        message = target;
      } else {
        return reply(400, { message: 'Unsupported callback type', code: 50035 });
      }
      if (url.searchParams.get('with_response') === 'true') {
        return reply(200, {
          interaction: {
            id: interactionId,
            type: 2,
            response_message_id: message.id,
            response_message_loading: type === 5,
            response_message_ephemeral: (Number(message.flags ?? 0) & 64) !== 0,
          },
          resource: { type, message },
        });
      }
      return reply(204);
    }
    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/))) {
      const [, app, tok, messageRef] = m as unknown as [string, string, string, string | undefined];
      const state = tokenState(tok);
      if (app !== applicationId || state === undefined) return reply(404, { message: 'Unknown Webhook', code: 10015 });
      if (state === 'expired') return reply(401, { message: 'Invalid Webhook Token', code: 50027 });
      if (messageRef === undefined && method === 'POST') {
        const msg = botMessage(channelOfToken.get(tok) ?? channelId, body, parsed, { applicationId, webhookId: applicationId });
        if (state.forcedPrivate === true) msg.flags = Number(msg.flags ?? 0) | 64;
        return reply(200, msg);
      }
      const id = messageRef === '@original' ? state.originalId : messageRef;
      const msg = id !== undefined ? messages.get(id) : undefined;
      if (msg === undefined) return reply(404, { message: 'Unknown Message', code: 10008 });
      if (method === 'GET') return reply(200, msg);
      if (method === 'PATCH') {
        editMessage(msg, body, parsed);
        msg.flags = Number(msg.flags ?? 0) & ~128;
        return reply(200, msg);
      }
      if (method === 'DELETE') {
        messages.delete(String(msg.id));
        return reply(204);
      }
      return reply(405, { message: '405: Method Not Allowed', code: 0 });
    }

    if (path === '/gateway/bot' || path === '/gateway') {
      if (path === '/gateway/bot' && !botAuthOk(req)) return unauthorized();
      return reply(200, {
        url: origin.replace(/^http/, 'ws'),
        shards: recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: maxConcurrency },
      });
    }
    if (!botAuthOk(req)) return unauthorized();

    if (path === '/users/@me' && method === 'GET') return reply(200, userJson(botUser));
    if (path === '/applications/@me' && method === 'GET') {
      return reply(200, {
        id: applicationId,
        name: 'Avatar Bot',
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: 'f'.repeat(64),
        flags: 0,
        bot: userJson(botUser),
        approximate_guild_count: inGuild ? guilds.length : 0,
        integration_types_config: Object.fromEntries(enabledKinds.map((k) => [String(k), {}])),
      });
    }
    if ((m = path.match(/^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/)) && method === 'PUT') {
      const [, app, guild] = m as unknown as [string, string, string | undefined];
      if (app !== applicationId) return reply(403, { message: 'Missing Access', code: 50001 });
      const problems = commandProblems(parsed.json, guild !== undefined ? 'guild' : 'global', enabledKinds);
      if (problems.length > 0 || !Array.isArray(parsed.json))
        return reply(400, { message: 'Invalid Form Body', code: 50035, errors: problems });
      const saved = (parsed.json as Json[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: applicationId,
        version: snowflake(),
        ...(guild !== undefined ? { guild_id: guild } : {}),
      }));
      if (guild !== undefined) commands.guild.set(guild, saved);
      else commands.global = saved;
      return reply(200, saved);
    }
    if (path === '/users/@me/channels' && method === 'POST') return reply(200, dms.open(String(body.recipient_id), undefined));
    if ((m = path.match(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      const channel = (m as unknown as [string, string])[1];
      const recipient = dms.recipientOf(channel);
      if (recipient !== undefined && dms.refusing.has(recipient)) {
        return reply(403, { message: 'Cannot send messages to this user', code: 50007 });
      }
      if (recipient !== undefined) return reply(200, botMessage(channel, body, parsed, {}));
      if (!guildOfChannel.has(channel)) return reply(404, { message: 'Unknown Channel', code: 10003 });
      const msg = botMessage(channel, body, parsed, {});
      return reply(200, msg);
    }
    if ((m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const [, channel, id] = m as unknown as [string, string, string];
      const msg = messages.get(id);
      if (msg === undefined || msg.channel_id !== channel) return reply(404, { message: 'Unknown Message', code: 10008 });
      if (method === 'GET') return reply(200, msg);
      if (method === 'PATCH') {
        if ((msg.author as Json).id !== botUser.id)
          return reply(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
        return reply(200, editMessage(msg, body, parsed));
      }
      if (method === 'DELETE') {
        messages.delete(id);
        return reply(204);
      }
    }
    if ((m = path.match(/^\/channels\/(\d+)$/)) && method === 'GET') {
      const channel = (m as unknown as [string, string])[1];
      return reply(200, {
        id: channel,
        type: 0,
        guild_id: guildOfChannel.get(channel) ?? guildId,
        name: 'general',
        position: 0,
        permission_overwrites: [],
      });
    }
    return reply(404, { message: '404: Not Found', code: 0 });
  }

  /** Which channel an interaction token belongs to (so follow-ups land there). */
  const channelOfToken = new Map<string, string>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/attachments/')) {
      downloads.push({ path: url.pathname, seq: ++seq });
      const file = files.get(url.pathname);
      if (file === undefined) return send(res, 404, { message: 'not found' });
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length }).end(Buffer.from(file.bytes));
      return;
    }
    if (url.pathname.startsWith('/redirect/')) {
      const to = redirects.get(url.pathname);
      if (to === undefined) return send(res, 404, { message: 'not found' });
      res.writeHead(302, { location: to }).end();
      return;
    }
    if (!url.pathname.startsWith(API_PREFIX)) return send(res, 404, { message: '404: Not Found', code: 0 });
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname.slice(API_PREFIX.length)),
      query: Object.fromEntries(url.searchParams.entries()),
      auth: req.headers.authorization ?? null,
      json: null,
      files: [],
      status: 0,
      at: Date.now(),
      seq: ++seq,
    };
    requests.push(record);
    handleApi(req, res, url, record)
      .then((status) => {
        record.status = status;
      })
      .catch((err: unknown) => {
        record.status = 500;
        if (!res.headersSent) send(res, 500, { message: String(err), code: 0 });
      });
  });

  const wss = new WebSocketServer({ server });
  const sockets = new Set<{ ws: WebSocket; seq: number; identified: boolean; shard: ShardPair }>();
  /** Whether a session on `shard` gets a dispatch for `guild` (null: no guild, a DM -> shard 0). */
  const owns = (shard: ShardPair, guild: string | null): boolean => shard[0] === (guild === null ? 0 : shardOf(guild, shard[1]));
  wss.on('connection', (ws, req) => {
    const conn = { ws, seq: 0, identified: false, shard: [0, 1] as ShardPair };
    sockets.add(conn);
    gateway.queries.push(new URL(req.url ?? '/', 'http://x').search);
    ws.on('close', () => sockets.delete(conn));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      let packet: { op?: number; d?: Json };
      try {
        packet = JSON.parse(String(raw)) as typeof packet;
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      const d = packet.d ?? {};
      if (packet.op === 1) {
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (packet.op === 2) {
        gateway.identifies += 1;
        const rawShard = d.shard;
        const record: RecordedIdentify = {
          shard: Array.isArray(rawShard) ? ([Number(rawShard[0]), Number(rawShard[1])] as ShardPair) : null,
          intents: Number(d.intents ?? 0),
          readyGuilds: [],
        };
        identifyLog.push(record);
        if (d.token !== token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        const shard: ShardPair = record.shard ?? [0, 1];
        if (rawShard !== undefined && !(Number.isInteger(shard[0]) && Number.isInteger(shard[1]) && shard[0] >= 0 && shard[0] < shard[1])) {
          ws.close(4010, 'Invalid shard.');
          return;
        }
        const intents = record.intents;
        gateway.lastIntents = intents;
        if (!allowMessageContent && (intents & (1 << 15)) !== 0) {
          ws.close(4014, 'Disallowed intent(s).');
          return;
        }
        conn.identified = true;
        conn.shard = shard;
        const sendDispatch = (t: string, data: unknown): void => {
          conn.seq += 1;
          ws.send(JSON.stringify({ op: 0, t, s: conn.seq, d: data }));
        };
        const mine = inGuild ? guilds.filter((g) => owns(shard, g.id)) : [];
        record.readyGuilds = mine.map((g) => g.id);
        const sessionId = `sess-${snowflake()}`;
        sessionShards.set(sessionId, shard);
        sendDispatch('READY', {
          v: 10,
          user: { ...userJson(botUser), verified: true, mfa_enabled: false, flags: 0 },
          guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
          session_id: sessionId,
          resume_gateway_url: origin.replace(/^http/, 'ws'),
          shard,
          application: { id: applicationId, flags: 0 },
          private_channels: [],
          relationships: [],
          presences: [],
          user_settings: {},
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
        });
        for (const g of mine) sendDispatch('GUILD_CREATE', guildCreate(g));
      } else if (packet.op === 6) {
        gateway.resumes += 1;
        conn.identified = true;
        conn.shard = sessionShards.get(String(d.session_id)) ?? [0, 1];
        conn.seq += 1;
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: conn.seq, d: {} }));
      }
    });
  });

  function guildCreate({ id: guildId, channelId }: FakeGuild): Json {
    return {
      id: guildId,
      name: 'Test Guild',
      icon: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: channelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      features: [],
      roles: [
        {
          id: guildId,
          name: '@everyone',
          permissions: GUILD_PERMISSIONS,
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [memberJson(botUser, [])],
      channels: [
        {
          id: channelId,
          type: 0,
          guild_id: guildId,
          name: 'general',
          position: 0,
          permission_overwrites: [],
          topic: null,
          nsfw: false,
          last_message_id: null,
          rate_limit_per_user: 0,
          parent_id: null,
        },
      ],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeDiscord = {
    apiUrl: `${origin}/api`,
    origin,
    token,
    applicationId,
    botUser,
    guildId,
    channelId,
    guilds,
    requests,
    downloads,
    messages,
    commands,
    dms,
    forms,
    gateway,
    addAttachment(spec) {
      const id = snowflake();
      const path = `/attachments/${channelId}/${id}/${spec.filename}`;
      files.set(path, { bytes: spec.bytes, type: spec.contentType });
      const a: Json = {
        id,
        filename: spec.filename,
        size: spec.bytes.length,
        url: `${origin}${path}?ex=1&is=1&hm=abc`,
        proxy_url: `${origin}${path}`,
        content_type: spec.contentType,
      };
      if (spec.durationSecs !== undefined) a.duration_secs = spec.durationSecs;
      if (spec.waveform !== undefined) a.waveform = spec.waveform;
      return a;
    },
    redirectUrl(location) {
      const path = `/redirect/${snowflake()}`;
      redirects.set(path, location);
      return `${origin}${path}`;
    },
    seedMessage(message) {
      messages.set(String(message.id), message);
      return message;
    },
    identifies() {
      return identifyLog.map((r) => ({ ...r, readyGuilds: [...r.readyGuilds] }));
    },
    deliveries,
    dispatch(type, data) {
      const d = (data ?? {}) as Json;
      const guild = typeof d.guild_id === 'string' ? d.guild_id : type.startsWith('GUILD_') && typeof d.id === 'string' ? d.id : null;
      for (const conn of sockets) {
        if (!conn.identified || !owns(conn.shard, guild)) continue;
        deliveries.push({ t: type, guildId: guild, shard: conn.shard });
        conn.seq += 1;
        conn.ws.send(JSON.stringify({ op: 0, t: type, s: conn.seq, d: data }));
      }
    },
    sendInteraction(interaction) {
      const tok = String(interaction.token);
      const msg = interaction.message as Json | undefined;
      if (msg !== undefined && !messages.has(String(msg.id))) messages.set(String(msg.id), msg);
      tokens.set(tok, {
        issuedAt: Date.now(),
        interactionId: String(interaction.id),
        interactionType: Number(interaction.type),
        ...(msg !== undefined ? { componentMessageId: String(msg.id) } : {}),
        forcedPrivate: forcesPrivate(interaction),
      });
      channelOfToken.set(tok, String(interaction.channel_id));
      interactionsById.set(String(interaction.id), tok);
      fake.dispatch('INTERACTION_CREATE', interaction);
    },
    originalOf(interactionToken) {
      const id = tokens.get(interactionToken)?.originalId;
      return id !== undefined ? messages.get(id) : undefined;
    },
    async waitFor(check, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (let i = 0; i < 10_000; i++) {
        const v = check();
        if (v !== undefined && v !== null && v !== false) return v;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`fake discord: timed out waiting for ${what}`);
    },
    find(method, path) {
      return requests.filter((r) => r.method === method && path.test(r.path));
    },
    async close() {
      for (const conn of sockets) conn.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
