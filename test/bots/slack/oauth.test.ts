/**
 * Many workspaces through Bolt's OAuth flow, end to end over loopback: the real bot on the
 * harness's HTTP server with SLACK_CLIENT_ID... (no SLACK_BOT_TOKEN), the fake Slack issuing
 * codes and bot tokens per workspace, installations sealed in the core's SealedInstallations.
 * Then the REST-only mode (`listen: false`), and the installation store's own rules.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot } from '../../../src/bots/slack/index.js';
import {
  createInstallationStore,
  InstallKeyError,
  installationKey,
  NotInstalledError,
} from '../../../src/bots/slack/installation-store.js';
import { formatReplyTo, parseReplyTo } from '../../../src/bots/slack/reply-to.js';
import { SLACK_BOT_SCOPES } from '../../../src/bots/slack/scopes.js';
import type { Installation } from '@slack/bolt';
import type { AvatarCore, ChatReply, JobView, SealedInstallations } from '../../../src/core/ports.js';
import type { Router } from '../../../src/http/router.js';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, type FakeWorkspace } from '../../fakes/slack/fake-slack.js';
import { homeOpenedEnvelope, lifecycleEnvelope, mentionEnvelope } from '../../fakes/slack/signer.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';
import { startHarness } from '../../helpers/harness.js';
import { ALICE, BOB, BOT_TOKEN, botMessage, SIGNING_SECRET, startWorld, waitFor, type SlackWorld } from './world.js';

const INSTALL_KEY = 'test-install-key-0123456789-abcdefghij';
const STATE_SECRET = 'test-state-secret-for-oauth';
const STATE_COOKIE = 'slack-app-oauth-state';

interface Space {
  ws: FakeWorkspace;
  channel: string;
}

let w: SlackWorld;
let alpha: Space;
let beta: Space;
let jpeg: Buffer;
let wav: Buffer;
let authTestsAfterStart = -1;

beforeAll(async () => {
  w = await startWorld({
    env: {
      // OAuth only: no fixed token ('' counts as unset).
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: FAKE_CLIENT_ID,
      SLACK_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_INSTALL_KEY: INSTALL_KEY,
    },
  });
  // The bot has started: record what it asked Slack before any workspace installed it.
  authTestsAfterStart = w.fake.callsOf('auth.test').length;
  alpha = { ws: w.fake.addWorkspace({ teamId: 'T0ALPHA', teamName: 'Alpha', botToken: 'xoxb-alpha-0001-secret' }), channel: 'C0ALPHA' };
  beta = { ws: w.fake.addWorkspace({ teamId: 'T0BETA', teamName: 'Beta', botToken: 'xoxb-beta-0002-secret' }), channel: 'C0BETA' };
  w.fake.addWorkspace({ teamId: 'T0GAMMA', teamName: 'Gamma', botToken: 'xoxb-gamma-0003-secret' });
  w.fake.addWorkspace({ teamId: 'T0DELTA', teamName: 'Delta', botToken: 'xoxb-delta-0004-secret' });
  jpeg = await makeJpeg();
  wav = await makeTone(1.5, 'wav');
});

afterAll(async () => {
  await w?.stop();
});

function base(): string {
  return w.h.http.url();
}

function get(path: string, headers: Record<string, string> = {}, at = base()): Promise<Response> {
  return fetch(`${at}${path}`, { redirect: 'manual', headers, signal: AbortSignal.timeout(10_000) });
}

/** GET /slack/install: the authorize URL and the state cookie the browser would keep. */
async function startInstall(at = base()): Promise<{ authorize: URL; state: string; cookie: string }> {
  const res = await get('/slack/install', {}, at);
  expect(res.status).toBe(302);
  const authorize = new URL(res.headers.get('location') ?? 'missing:');
  const state = authorize.searchParams.get('state') ?? '';
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  expect(cookie).toBe(`${STATE_COOKIE}=${state}`);
  return { authorize, state, cookie };
}

/** The whole flow for one workspace, as the person's browser would run it. */
async function install(team: string, at = base()): Promise<{ status: number; text: string; authorize: URL }> {
  const { authorize, state, cookie } = await startInstall(at);
  const code = w.fake.issueCode(team, { scope: authorize.searchParams.get('scope') ?? '' });
  const res = await get(`/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, { cookie }, at);
  return { status: res.status, text: await res.text(), authorize };
}

function stored(team: string): Promise<string | null> {
  return w.h.core.secrets.get(installationKey({ teamId: team }));
}

async function waitStored(what: string, team: string, present: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 1000 && Date.now() < deadline; i += 1) {
    if (((await stored(team)) !== null) === present) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A mention with a face and a clip in the workspace's channel; returns the thread ts. */
async function mention(space: Space, user: string): Promise<string> {
  const ts = w.fake.nextTs();
  const files = [
    w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg, team: space.ws.teamId }),
    w.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav, team: space.ws.teamId }),
  ];
  const res = await w.signer.postEvent(
    mentionEnvelope({
      team: space.ws.teamId,
      channel: space.channel,
      user,
      ts,
      text: `<@${space.ws.botUserId}> talk`,
      files,
      botUserId: space.ws.botUserId,
    }),
  );
  expect(res.status).toBe(200);
  return ts;
}

/** Every Web API call that touched the channel, with the workspace of the token it carried. */
function callsIn(channel: string): { method: string; team: string | undefined }[] {
  return w.fake.calls
    .filter((c) => c.params['channel'] === channel || c.params['channel_id'] === channel)
    .map((c) => ({ method: c.method, team: c.team }));
}

describe('slack OAuth: install, answer per workspace, uninstall', () => {
  it('starts without a token and without calling auth.test', () => {
    expect(authTestsAfterStart).toBe(0);
    expect(w.bot.isReady()).toBe(true);
  });

  it('GET /slack/install redirects to Slack with the client id, the scopes and a state; the redirect stores the installation encrypted', async () => {
    const { authorize, state } = await startInstall();
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(FAKE_CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual([...SLACK_BOT_SCOPES]);
    expect(state.length).toBeGreaterThan(20);

    expect(await stored(alpha.ws.teamId)).toBeNull();
    const done = await install(alpha.ws.teamId);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Thank you');
    // The code went to oauth.v2.access with the app's credentials, and the new token was checked.
    const exchange = w.fake.callsOf('oauth.v2.access').at(-1);
    expect(exchange?.params['client_id']).toBe(FAKE_CLIENT_ID);
    expect(w.fake.callsOf('auth.test').some((c) => c.team === alpha.ws.teamId)).toBe(true);

    // In the database: sealed, no token (nor any xoxb- prefix) in it.
    const raw = await stored(alpha.ws.teamId);
    expect(raw).not.toBeNull();
    expect(raw).not.toContain('xoxb-');
    expect(raw).not.toContain(alpha.ws.botToken);
    expect(raw?.startsWith('v1.')).toBe(true);
    // The same store over the same key opens it: the workspace's own token and bot user.
    const store = createInstallationStore(w.h.core.secrets, { installKey: INSTALL_KEY });
    const inst = await store.fetchInstallation({ teamId: alpha.ws.teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    expect(inst.bot?.token).toBe(alpha.ws.botToken);
    expect(inst.bot?.userId).toBe(alpha.ws.botUserId);
    expect(inst.team?.id).toBe(alpha.ws.teamId);
  });

  it('two workspaces: a mention with files in each is answered there with that workspace token', async () => {
    const done = await install(beta.ws.teamId);
    expect(done.status).toBe(200);
    const before = w.fake.calls.length;
    const beforeFiles = w.fake.fileRequests.length;

    const tsA = await mention(alpha, ALICE);
    const tsB = await mention(beta, BOB);
    const resultA = await waitFor('alpha result', () => botMessage(w.fake, tsA, /ready/, alpha.channel));
    const resultB = await waitFor('beta result', () => botMessage(w.fake, tsB, /ready/, beta.channel));
    expect(resultA.team).toBe(alpha.ws.teamId);
    expect(resultB.team).toBe(beta.ws.teamId);
    expect(resultA.user).toBe(alpha.ws.botUserId);
    expect(resultB.user).toBe(beta.ws.botUserId);

    // The jobs' reply addresses name their workspace.
    expect((await w.jobsOf(ALICE))[0]?.replyTo).toBe(formatReplyTo({ team: alpha.ws.teamId, channel: alpha.channel, threadTs: tsA }));
    expect((await w.jobsOf(BOB))[0]?.replyTo).toBe(formatReplyTo({ team: beta.ws.teamId, channel: beta.channel, threadTs: tsB }));

    // Every call in a channel (posts, edits from the ChatReply, the upload) used that workspace's token.
    const uploadA = await waitFor('alpha upload', () => w.fake.uploads.find((u) => u.completed?.thread_ts === tsA));
    const uploadB = await waitFor('beta upload', () => w.fake.uploads.find((u) => u.completed?.thread_ts === tsB));
    expect(uploadA.team).toBe(alpha.ws.teamId);
    expect(uploadB.team).toBe(beta.ws.teamId);
    const inA = callsIn(alpha.channel).slice(0);
    const inB = callsIn(beta.channel).slice(0);
    expect(inA.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThanOrEqual(1);
    expect(inA.filter((c) => c.method === 'chat.update').length).toBeGreaterThanOrEqual(1);
    expect(inB.filter((c) => c.method === 'chat.update').length).toBeGreaterThanOrEqual(1);
    expect(inA.every((c) => c.team === alpha.ws.teamId)).toBe(true);
    expect(inB.every((c) => c.team === beta.ws.teamId)).toBe(true);
    // No call since the mentions went out without a valid token.
    expect(w.fake.calls.slice(before).filter((c) => c.method !== 'oauth.v2.access' && c.team === undefined)).toEqual([]);

    // The files were downloaded with their own workspace's token (the other one gets a login page).
    const fetched = w.fake.fileRequests.slice(beforeFiles);
    expect(fetched.length).toBeGreaterThanOrEqual(4);
    expect(fetched.filter((r) => r.authorization === `Bearer ${alpha.ws.botToken}`).length).toBeGreaterThanOrEqual(2);
    expect(fetched.filter((r) => r.authorization === `Bearer ${beta.ws.botToken}`).length).toBeGreaterThanOrEqual(2);
    expect(
      fetched.every((r) => r.authorization === `Bearer ${alpha.ws.botToken}` || r.authorization === `Bearer ${beta.ws.botToken}`),
    ).toBe(true);
    // The single-workspace token of the world's fake was never used.
    expect(w.fake.calls.some((c) => c.authorization === `Bearer ${BOT_TOKEN}` || c.params['token'] === BOT_TOKEN)).toBe(false);
  });

  it('the Home tab goes out with the workspace token: when a job there ends, and when it is opened', async () => {
    // The two jobs above have ended: each person's tab was published in their own workspace.
    await waitFor('alpha home', () => w.fake.home.views.find((v) => v.user === ALICE && v.team === alpha.ws.teamId));
    await waitFor('beta home', () => w.fake.home.views.find((v) => v.user === BOB && v.team === beta.ws.teamId));
    const before = w.fake.home.views.length;
    const res = await w.signer.postEvent(homeOpenedEnvelope({ team: beta.ws.teamId, user: BOB, botUserId: beta.ws.botUserId }));
    expect(res.status).toBe(200);
    const opened = await waitFor('opened home', () => w.fake.home.views.slice(before).find((v) => v.user === BOB));
    expect(opened.team).toBe(beta.ws.teamId);
    // Never without a workspace's token.
    expect(w.fake.callsOf('views.publish').every((c) => c.team !== undefined)).toBe(true);
  });

  it('a bad state gets an error page and stores nothing', async () => {
    const gamma = 'T0GAMMA';
    const exchangesBefore = w.fake.callsOf('oauth.v2.access').length;

    // A real state, but not from this browser (no cookie): refused.
    const { state } = await startInstall();
    const code1 = w.fake.issueCode(gamma);
    const noCookie = await get(`/slack/oauth_redirect?code=${code1}&state=${encodeURIComponent(state)}`);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toMatch(/Something Went Wrong/);

    // A forged state that matches its own cookie: not signed with SLACK_STATE_SECRET, refused.
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJub3ciOiIyMDI1In0.forged';
    const code2 = w.fake.issueCode(gamma);
    const bad = await get(`/slack/oauth_redirect?code=${code2}&state=${forged}`, { cookie: `${STATE_COOKIE}=${forged}` });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Something Went Wrong/);

    // No state at all.
    const none = await get(`/slack/oauth_redirect?code=${w.fake.issueCode(gamma)}`);
    expect(none.status).toBe(400);

    expect(w.fake.callsOf('oauth.v2.access').length).toBe(exchangesBefore);
    expect(await stored(gamma)).toBeNull();
  });

  it('app_uninstalled deletes that workspace only; the other still answers', async () => {
    expect(await stored(alpha.ws.teamId)).not.toBeNull();
    const res = await w.signer.postEvent(lifecycleEnvelope({ team: alpha.ws.teamId, event: { type: 'app_uninstalled' } }));
    expect(res.status).toBe(200);
    await waitStored('alpha deleted', alpha.ws.teamId, false);
    expect(await stored(beta.ws.teamId)).not.toBeNull();

    // A mention in the uninstalled workspace starts nothing; the other workspace is answered.
    const jobsA = (await w.jobsOf(ALICE)).length;
    const postsA = callsIn(alpha.channel).length;
    const tsA = await mention(alpha, ALICE);
    const tsB = await mention(beta, BOB);
    await waitFor('beta result after the uninstall', () => botMessage(w.fake, tsB, /ready/, beta.channel));
    expect(w.fake.botMessagesIn(alpha.channel, tsA)).toHaveLength(0);
    expect(callsIn(alpha.channel).length).toBe(postsA);
    expect((await w.jobsOf(ALICE)).length).toBe(jobsA);
  });

  it('tokens_revoked deletes the installation only when bot tokens are revoked', async () => {
    const delta = 'T0DELTA';
    expect((await install(delta)).status).toBe(200);
    const userOnly = await w.signer.postEvent(
      lifecycleEnvelope({ team: delta, event: { type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'] } } }),
    );
    expect(userOnly.status).toBe(200);
    // Acked before it is handled: give the listener time, then the installation must still be there.
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(delta)).not.toBeNull();
    const bot = await w.signer.postEvent(
      lifecycleEnvelope({ team: delta, event: { type: 'tokens_revoked', tokens: { bot: ['U0BOTDELTA'] } } }),
    );
    expect(bot.status).toBe(200);
    await waitStored('delta deleted', delta, false);
    expect(await stored(beta.ws.teamId)).not.toBeNull();
  });
});

describe('slack OAuth logs', () => {
  it('at trace level, no token, client secret, state secret, install key or code reaches the log', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const slack = w.h.config.slack;
    if (slack === undefined) throw new Error('slack config expected');
    const h = await startHarness({
      env: {
        SLACK_CLIENT_ID: FAKE_CLIENT_ID,
        SLACK_CLIENT_SECRET: FAKE_CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        SLACK_INSTALL_KEY: INSTALL_KEY,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: w.fake.apiUrl,
      },
      mock: w.mock,
      logger,
    });
    try {
      const cfg = h.config.slack;
      if (cfg === undefined) throw new Error('slack config expected');
      const bot = createSlackBot(cfg, { core: h.core, logger, router: h.http });
      await h.startCore();
      await bot.start();
      const ws = w.fake.addWorkspace({ teamId: 'T0LOGS', botToken: 'xoxb-logs-0005-secret' });
      const codesBefore = w.fake.callsOf('oauth.v2.access').length;
      expect((await install(ws.teamId, h.http.url())).status).toBe(200);
      const used = w.fake
        .callsOf('oauth.v2.access')
        .slice(codesBefore)
        .map((c) => String(c.params['code']));
      expect(used).toHaveLength(1);
      // A failed exchange logs the error path too.
      const { state, cookie } = await startInstall(h.http.url());
      expect((await get(`/slack/oauth_redirect?code=not-a-code&state=${encodeURIComponent(state)}`, { cookie }, h.http.url())).status).toBe(
        500,
      );
      await bot.stop();

      const all = lines.join('');
      expect(all).toContain('oauth.v2.access'); // the library did log the exchange (at trace)
      for (const secret of [ws.botToken, FAKE_CLIENT_SECRET, STATE_SECRET, INSTALL_KEY, ...used, 'not-a-code']) {
        expect(all.includes(secret), `log shows ${secret.slice(0, 4)}…`).toBe(false);
      }
      expect(all).not.toMatch(/xoxb-[a-z0-9]/);
    } finally {
      await h.stop();
    }
  });
});

describe('slack REST-only mode (listen: false)', () => {
  function stubs(): { core: AvatarCore; router: Router; routes: string[]; replies: Map<string, ChatReply> } {
    const routes: string[] = [];
    const replies = new Map<string, ChatReply>();
    const core = {
      secrets: w.h.core.secrets,
      registerReply: (platform: string, reply: ChatReply) => void replies.set(platform, reply),
    } as unknown as AvatarCore;
    const router: Router = { mount: (plugin) => void routes.push(plugin.name || 'a plugin') };
    return { core, router, routes, replies };
  }

  function job(replyTo: string, id: string): JobView {
    return { id, replyTo, replyState: null, preview: false } as unknown as JobView;
  }

  it('OAuth: registers only the ChatReply, never calls auth.test, answers with the job workspace token', async () => {
    const slack = w.h.config.slack;
    if (slack === undefined || slack.oauth === undefined) throw new Error('oauth config expected');
    const s = stubs();
    const authTests = w.fake.callsOf('auth.test').length;
    const bot = createSlackBot(slack, { core: s.core, logger: pino({ level: 'silent' }), router: s.router, listen: false });
    expect(s.routes).toEqual([]);
    const reply = s.replies.get('slack');
    expect(reply).toBeDefined();
    await bot.start();
    expect(bot.isReady()).toBe(true);
    expect(w.fake.callsOf('auth.test').length).toBe(authTests);

    const ts = w.fake.nextTs();
    const state = await reply?.error(job(formatReplyTo({ team: beta.ws.teamId, channel: beta.channel, threadTs: ts }), 'rest-job-1'), {
      code: 'JOB_FAILED',
      message: 'boom',
    });
    expect(typeof state).toBe('string');
    const msg = await waitFor('REST answer', () => botMessage(w.fake, ts, /failed to render/, beta.channel));
    expect(msg.team).toBe(beta.ws.teamId);
    const post = w.fake.callsOf('chat.postMessage').find((c) => c.params['thread_ts'] === ts);
    expect(post?.team).toBe(beta.ws.teamId);

    // A workspace without an installation (alpha was uninstalled): dropped, nothing posted, no throw.
    const tsA = w.fake.nextTs();
    await expect(
      reply?.error(job(formatReplyTo({ team: alpha.ws.teamId, channel: alpha.channel, threadTs: tsA }), 'rest-job-2'), {
        code: 'JOB_FAILED',
        message: 'x',
      }),
    ).resolves.toBeUndefined();
    expect(w.fake.callsOf('chat.postMessage').some((c) => c.params['thread_ts'] === tsA)).toBe(false);
    await bot.stop();
  });

  it('one workspace: auth.test at start, answers with SLACK_BOT_TOKEN, still no routes', async () => {
    const slack = w.h.config.slack;
    if (slack === undefined) throw new Error('slack config expected');
    const s = stubs();
    const bot = createSlackBot(
      { ...slack, oauth: undefined, botToken: BOT_TOKEN },
      { core: s.core, logger: pino({ level: 'silent' }), router: s.router, listen: false },
    );
    const authTests = w.fake.callsOf('auth.test').length;
    await bot.start();
    expect(w.fake.callsOf('auth.test').length).toBe(authTests + 1);
    expect(s.routes).toEqual([]);
    const ts = w.fake.nextTs();
    await s.replies.get('slack')?.error(job(formatReplyTo({ team: w.fake.teamId, channel: 'C0GENERAL', threadTs: ts }), 'rest-job-3'), {
      code: 'JOB_FAILED',
      message: 'x',
    });
    const post = w.fake.callsOf('chat.postMessage').find((c) => c.params['thread_ts'] === ts);
    expect(post?.team).toBe(w.fake.teamId);
    await bot.stop();

    // And a bad token stops start-up.
    const bad = createSlackBot(
      { ...slack, oauth: undefined, botToken: 'xoxb-wrong' },
      { core: stubs().core, logger: pino({ level: 'silent' }), router: s.router, listen: false },
    );
    await expect(bad.start()).rejects.toThrow(/invalid_auth/);
  });
});

describe('slack installation store and reply addresses', () => {
  function memorySecrets(): SealedInstallations & { map: Map<string, string> } {
    const map = new Map<string, string>();
    return {
      map,
      get: async (k) => map.get(k) ?? null,
      put: async (k, v) => void map.set(k, v),
      delete: async (k) => map.delete(k),
    };
  }

  const teamInstall = {
    team: { id: 'T9', name: 'Nine' },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U9' },
    bot: { token: 'xoxb-nine-secret', scopes: ['chat:write'], id: 'B9', userId: 'U9BOT' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  } as unknown as Installation;

  it('keys by team, or by enterprise for org-wide installs; a changed key says to install again', async () => {
    const secrets = memorySecrets();
    const store = createInstallationStore(secrets, { installKey: INSTALL_KEY });
    await store.storeInstallation(teamInstall);
    const org = {
      team: undefined,
      enterprise: { id: 'E7', name: 'Org' },
      user: { token: undefined, scopes: undefined, id: 'U7' },
      bot: { token: 'xoxb-org-secret', scopes: ['chat:write'], id: 'B7', userId: 'U7BOT' },
      isEnterpriseInstall: true,
      authVersion: 'v2',
    } as unknown as Installation;
    await store.storeInstallation(org);
    expect([...secrets.map.keys()].sort()).toEqual(['slack:installation:enterprise:E7', 'slack:installation:team:T9']);
    for (const v of secrets.map.values()) expect(v).not.toContain('xoxb-');
    expect((await store.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe(
      'xoxb-nine-secret',
    );
    // An org-wide install answers for any of its workspaces.
    expect((await store.fetchInstallation({ teamId: 'T1234', enterpriseId: 'E7', isEnterpriseInstall: true } as never)).bot?.token).toBe(
      'xoxb-org-secret',
    );

    await expect(store.fetchInstallation({ teamId: 'T404', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toBeInstanceOf(
      NotInstalledError,
    );
    expect(await store.find({ teamId: 'T404' })).toBeNull();

    // Another install key: a clear error naming the variable, never the value.
    const other = createInstallationStore(secrets, { installKey: `${INSTALL_KEY}-changed` });
    const err = await other
      .fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallKeyError);
    expect((err as Error).message).toMatch(/SLACK_INSTALL_KEY/);
    expect((err as Error).message).toMatch(/install the app .* again/i);
    expect((err as Error).message).not.toContain('xoxb-');
    expect((err as Error).message).not.toContain(INSTALL_KEY);

    // A value moved to another workspace's key does not open there.
    secrets.map.set('slack:installation:team:T8', secrets.map.get('slack:installation:team:T9') ?? '');
    await expect(store.find({ teamId: 'T8' })).rejects.toBeInstanceOf(InstallKeyError);

    await store.deleteInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await store.find({ teamId: 'T9' })).toBeNull();
  });

  it('replyTo carries the enterprise of an org-wide install, and old addresses still parse', () => {
    const org = { team: 'T1', channel: 'C1', threadTs: '1700000000.000100', enterprise: 'E1' };
    expect(formatReplyTo(org)).toBe('slack:T1:C1:1700000000.000100:E1');
    expect(parseReplyTo(formatReplyTo(org))).toEqual(org);
    expect(parseReplyTo('slack:T1:C1:1700000000.000100')).toEqual({ team: 'T1', channel: 'C1', threadTs: '1700000000.000100' });
    expect(parseReplyTo('slack:T1:C1:1700000000.000100:')).toBeNull();
  });

  it('asks for exactly the bot scopes of slack/manifest.yml', () => {
    const manifest = readFileSync(new URL('../../../slack/manifest.yml', import.meta.url), 'utf8');
    const block = /oauth_config:[\s\S]*?scopes:\s*\n\s*bot:\s*\n((?:\s+- .+\n)+)/.exec(manifest);
    const scopes = (block?.[1] ?? '')
      .split('\n')
      .map((l) => l.trim().replace(/^- /, ''))
      .filter((l) => l !== '');
    expect(scopes.length).toBeGreaterThan(0);
    expect([...SLACK_BOT_SCOPES]).toEqual(scopes);
  });
});
