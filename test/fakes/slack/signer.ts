/**
 * Sends correctly signed Slack requests (v0 HMAC-SHA256 over `v0:<ts>:<raw body>`) to the bot's
 * real HTTP endpoint: Events API envelopes, interactivity payloads (form `payload=`), and
 * slash commands (form). `signature` lets a test send a wrong one.
 */
import { createHmac } from 'node:crypto';

interface SignedAnswer {
  status: number;
  text: string;
}

interface SendOptions {
  retryNum?: number;
  /** Overrides the computed signature (bad-signature tests). */
  signature?: string;
  /** Overrides the timestamp (stale-request tests). */
  timestamp?: number;
}

export interface SlackSigner {
  sign(body: string, timestamp: number): string;
  postEvent(envelope: unknown, opts?: SendOptions): Promise<SignedAnswer>;
  /** The `x-slack-signature` for `body` at `timestamp` (a sender may sign ahead of sending). */
  signature(body: string, timestamp: number): string;
  postInteractive(payload: unknown, opts?: SendOptions): Promise<SignedAnswer>;
  postCommand(fields: Record<string, string>, opts?: SendOptions): Promise<SignedAnswer>;
}

export function createSlackSigner(signingSecret: string, endpoint: string): SlackSigner {
  function sign(body: string, timestamp: number): string {
    return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  }
  async function send(body: string, contentType: string, opts: SendOptions = {}): Promise<SignedAnswer> {
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': opts.signature ?? sign(body, ts),
    };
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const res = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text() };
  }
  return {
    sign,
    signature: sign,
    postEvent: (envelope, opts) => send(JSON.stringify(envelope), 'application/json', opts),
    postInteractive: (payload, opts) =>
      send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts),
    postCommand: (fields, opts) => send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts),
  };
}

let eventCounter = 0;

/** An `event_callback` envelope around an `app_mention`. */
export function mentionEnvelope(o: {
  team: string;
  channel: string;
  user: string;
  ts: string;
  text: string;
  threadTs?: string;
  files?: unknown[];
  eventId?: string;
  botUserId: string;
}): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'legacy-verification-token',
    team_id: o.team,
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${Date.now()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: o.team, user_id: o.botUserId, is_bot: true }],
    event: {
      type: 'app_mention',
      user: o.user,
      text: o.text,
      ts: o.ts,
      channel: o.channel,
      team: o.team,
      event_ts: o.ts,
      ...(o.threadTs === undefined ? {} : { thread_ts: o.threadTs }),
      ...(o.files === undefined ? {} : { files: o.files }),
    },
  };
}

/** A `message_action` (message shortcut) payload. */
export function shortcutPayload(o: {
  team: string;
  channel: string;
  user: string;
  message: Record<string, unknown>;
  callbackId?: string;
}): Record<string, unknown> {
  eventCounter += 1;
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Math.floor(Date.now() / 1000)}.000${eventCounter}`,
    team: { id: o.team, domain: 'fake' },
    user: { id: o.user, username: o.user, team_id: o.team },
    channel: { id: o.channel, name: 'general' },
    callback_id: o.callbackId ?? 'make_it_talk',
    trigger_id: `trig.${Date.now()}.${eventCounter}`,
    message_ts: o.message['ts'],
    message: { type: 'message', ...o.message },
    response_url: 'http://127.0.0.1:9/response',
  };
}

interface ActionTarget {
  team: string;
  channel: string;
  user: string;
  messageTs: string;
  /** Where the bot's answers go (default: a port nothing listens on). */
  responseUrl?: string;
  /** The message is an ephemeral one (Slack then sends no `message`, only the container). */
  ephemeral?: boolean;
}

/** A `block_actions` envelope around one action. */
function blockActions(o: ActionTarget, action: Record<string, unknown>): Record<string, unknown> {
  eventCounter += 1;
  return {
    type: 'block_actions',
    team: { id: o.team, domain: 'fake' },
    user: { id: o.user, username: o.user, team_id: o.team },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: o.ephemeral === true },
    trigger_id: `trig.${Date.now()}.${eventCounter}`,
    channel: { id: o.channel, name: 'general' },
    ...(o.ephemeral === true ? {} : { message: { type: 'message', ts: o.messageTs, text: 'progress' } }),
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    actions: [{ block_id: 'b1', action_ts: `${Math.floor(Date.now() / 1000)}.1`, ...action }],
  };
}

/** A `block_actions` payload for a button click on a bot message. */
export function buttonPayload(o: ActionTarget & { actionId: string; value: string }): Record<string, unknown> {
  return blockActions(o, { type: 'button', action_id: o.actionId, value: o.value });
}

/** A `block_actions` payload for a choice in a static (or external) select menu. */
export function selectPayload(
  o: ActionTarget & { actionId: string; value: string; label: string; type?: 'static_select' | 'external_select' },
): Record<string, unknown> {
  return blockActions(o, {
    type: o.type ?? 'static_select',
    action_id: o.actionId,
    selected_option: { text: { type: 'plain_text', text: o.label, emoji: true }, value: o.value },
  });
}

/** A `block_suggestion` payload: an external select asks for the options matching what was typed. */
export function suggestionPayload(o: {
  team: string;
  user: string;
  actionId: string;
  value: string;
  channel: string;
}): Record<string, unknown> {
  return {
    type: 'block_suggestion',
    user: { id: o.user, username: o.user, team_id: o.team },
    container: { type: 'message', message_ts: '0', channel_id: o.channel, is_ephemeral: true },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    action_id: o.actionId,
    block_id: 'avatar_voice_menu',
    value: o.value,
    team: { id: o.team, domain: 'fake' },
    channel: { id: o.channel, name: 'general' },
  };
}

/** Slash command form fields. */
export function commandFields(o: {
  team: string;
  channel: string;
  user: string;
  text: string;
  responseUrl?: string;
}): Record<string, string> {
  eventCounter += 1;
  return {
    token: 'legacy-verification-token',
    team_id: o.team,
    team_domain: 'fake',
    channel_id: o.channel,
    channel_name: 'general',
    user_id: o.user,
    user_name: o.user,
    command: '/avatar',
    text: o.text,
    api_app_id: 'A0APP',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    trigger_id: `trig.${Date.now()}.${eventCounter}`,
  };
}

/**
 * An `event_callback` envelope for app lifecycle events (`app_uninstalled`, `tokens_revoked`):
 * like Slack's, with `team_id` and no `authorizations` (the app has no token there any more).
 */
export function lifecycleEnvelope(o: { team: string; event: Record<string, unknown>; enterpriseId?: string }): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'legacy-verification-token',
    team_id: o.team,
    ...(o.enterpriseId === undefined ? {} : { enterprise_id: o.enterpriseId }),
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: `Ev${Date.now()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    event: o.event,
  };
}

/**
 * An `event_callback` envelope around `app_home_opened`: a person opened one of the app's tabs
 * (`home`, or `messages`: the DM with the app). Slack sends `view` only once a Home view exists.
 */
export function homeOpenedEnvelope(o: {
  team: string;
  user: string;
  botUserId: string;
  tab?: 'home' | 'messages';
  channel?: string;
}): Record<string, unknown> {
  eventCounter += 1;
  const now = Math.floor(Date.now() / 1000);
  return {
    token: 'legacy-verification-token',
    team_id: o.team,
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: `Ev${Date.now()}${eventCounter}`,
    event_time: now,
    authorizations: [{ enterprise_id: null, team_id: o.team, user_id: o.botUserId, is_bot: true }],
    event: {
      type: 'app_home_opened',
      user: o.user,
      channel: o.channel ?? `D${o.user.replace(/^[UW]/, '')}`,
      tab: o.tab ?? 'home',
      event_ts: `${now}.${String(eventCounter).padStart(6, '0')}`,
    },
  };
}
