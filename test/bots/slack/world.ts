/**
 * One Slack test world: the fake Slack + foreign host, a real core and avatar server through
 * the harness, the real Slack bot mounted on the harness's HTTP server, and a signer aimed at
 * its `/slack/events`. `restart()` keeps the fakes, the data folder and the avatar server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createSlackBot, type SlackBot } from '../../../src/bots/slack/index.js';
import type { JobView } from '../../../src/core/ports.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../../fakes/avatar/index.js';
import { createFakeSlack, type FakeMessage, type FakeSlack } from '../../fakes/slack/fake-slack.js';
import { createForeignHost, type ForeignHost } from '../../fakes/slack/foreign-host.js';
import { createSlackSigner, type SlackSigner } from '../../fakes/slack/signer.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

export const BOT_TOKEN = 'xoxb-test-bot-token-123';
export const SIGNING_SECRET = 'test-signing-secret';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CHANNEL = 'C0GENERAL';

export interface SlackWorld {
  fake: FakeSlack;
  foreign: ForeignHost;
  mock: FakeAvatarServer;
  h: Harness;
  bot: SlackBot;
  signer: SlackSigner;
  jobsOf(user: string): Promise<JobView[]>;
  /** Stops bot and core, then starts new ones over the same data, fakes and avatar server. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  env?: Record<string, string>;
}

export async function startWorld(opts: WorldOptions = {}): Promise<SlackWorld> {
  const foreign = createForeignHost();
  await foreign.start();
  const fake = createFakeSlack({ botToken: BOT_TOKEN, foreign });
  await fake.start();
  // render: false serves a small placeholder MP4 at once (no ffmpeg render): fast and enough here.
  const mock = createFakeAvatarServer({ render: false, renderMs: () => 200, queueMs: 20 });
  await mock.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'slack-world-'));
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...opts.env,
  };
  const logger = pino({ level: 'silent' });

  async function boot(): Promise<{ h: Harness; bot: SlackBot; signer: SlackSigner }> {
    const h = await startHarness({ env, dataDir, mock, logger });
    const slack = h.config.slack;
    if (slack === undefined) throw new Error('harness config has no slack section');
    // The ChatReply is registered inside createSlackBot: before the core resumes jobs.
    const bot = createSlackBot(slack, { core: h.core, logger, router: h.http });
    await h.startCore();
    await bot.start();
    return { h, bot, signer: createSlackSigner(SIGNING_SECRET, `${h.http.url()}/slack/events`) };
  }

  let cur = await boot();
  const world: SlackWorld = {
    fake,
    foreign,
    mock,
    get h() {
      return cur.h;
    },
    get bot() {
      return cur.bot;
    },
    get signer() {
      return cur.signer;
    },
    jobsOf: (user) => cur.h.core.jobs.listForRequester('slack', user, 50),
    async restart() {
      await cur.bot.stop();
      await cur.h.stop();
      cur = await boot();
    },
    async stop() {
      await cur.bot.stop();
      await cur.h.stop();
      await mock.close();
      await fake.close();
      await foreign.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Polls `cond` every 25 ms, at most `timeoutMs`; throws with `what` when it never holds. */
export async function waitFor<T>(
  what: string,
  cond: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i += 1) {
    const v = await cond();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The bot's message in a thread whose text matches. */
export function botMessage(fake: FakeSlack, threadTs: string, re: RegExp, channel = CHANNEL): FakeMessage | undefined {
  return fake.botMessagesIn(channel, threadTs).find((m) => re.test(m.text ?? ''));
}

/** Action ids and values of the buttons on a message. */
export function buttonsOf(msg: FakeMessage | undefined): { actionId: string; value: string }[] {
  const blocks = Array.isArray(msg?.blocks) ? (msg.blocks as unknown[]) : [];
  const out: { actionId: string; value: string }[] = [];
  for (const b of blocks) {
    const elements = (b as { elements?: unknown }).elements;
    if (!Array.isArray(elements)) continue;
    for (const e of elements) {
      const r = e as { action_id?: unknown; value?: unknown };
      if (typeof r.action_id === 'string' && typeof r.value === 'string') out.push({ actionId: r.action_id, value: r.value });
    }
  }
  return out;
}
