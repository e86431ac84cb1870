/**
 * The test world for the Discord adapter: the fake Discord, the real core + local avatar
 * server (harness), and the real bot (discord.js) between them.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createDiscordBot, type DiscordBot } from '../../../src/bots/discord/index.js';
import { visibleText } from '../../../src/bots/discord/replies/card.js';
import type { JobView } from '../../../src/core/ports.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type RecordedRequest } from '../../fakes/discord/fake-discord.js';
import type { FakeUser, InteractionBase, Json } from '../../fakes/discord/payloads.js';
import { startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';

export interface WorldOptions {
  fake?: FakeDiscord;
  fakeOptions?: FakeDiscordOptions;
  harness?: HarnessOptions;
  messageContent?: boolean;
  tokenTtlMs?: number;
  allowedChannels?: string[];
  allowedRoles?: string[];
}

export interface World {
  fake: FakeDiscord;
  h: Harness;
  bot: DiscordBot;
  alice: FakeUser;
  bob: FakeUser;
  /** Log lines (JSON) the bot wrote. */
  logs: Json[];
  base(user?: FakeUser, extra?: Partial<InteractionBase>): InteractionBase;
  /** The newest job of a user, once it exists. */
  jobOf(user: FakeUser): Promise<JobView>;
  waitJob(id: string, check: (j: JobView) => boolean, what: string): Promise<JobView>;
  /** Like fake.waitFor (the check may be async), with a snapshot of jobs and tasks in the timeout message. */
  waitFor<T>(check: () => Check<T> | Promise<Check<T>>, timeoutMs?: number, what?: string): Promise<T>;
  /** A snapshot of the jobs and avatar tasks, for failure messages. */
  diagnose(): Promise<string>;
  /** Stops the bot and the core (and the fake, unless it was passed in). */
  stop(): Promise<void>;
}

type Check<T> = T | undefined | null | false;

/** fake.waitFor for checks that read the core (its reads are async): same cadence and message. */
async function poll<T>(check: () => Check<T> | Promise<Check<T>>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000; i++) {
    const v = await check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fake discord: timed out waiting for ${what}`);
}

const ALICE: FakeUser = { id: '111111111111111111', username: 'alice' };
const BOB: FakeUser = { id: '222222222222222222', username: 'bob' };
/** Other people the tests use, so their jobs show up in diagnostics. */
const extraUsers: FakeUser[] = ['333333333333333333', '444444444444444444', '555555555555555555'].map((id) => ({ id, username: id }));

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const fake = opts.fake ?? (await startFakeDiscord(opts.fakeOptions));
  const h = await startHarness({
    ...opts.harness,
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_MESSAGE_CONTENT: opts.messageContent === true ? 'true' : 'false',
      DISCORD_ALLOWED_CHANNELS: (opts.allowedChannels ?? []).join(','),
      DISCORD_ALLOWED_ROLES: (opts.allowedRoles ?? []).join(','),
      ...opts.harness?.env,
    },
  });
  const discord = h.config.discord;
  if (discord === undefined) throw new Error('harness config has no discord section');
  const logs: Json[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Json);
      cb();
    },
  });
  const bot = createDiscordBot(
    { ...discord, ...(opts.tokenTtlMs !== undefined ? { tokenTtlMs: opts.tokenTtlMs } : {}) },
    { core: h.core, logger: pino({ level: 'info' }, sink), progressIntervalMs: 250 },
  );
  try {
    await h.startCore();
    await bot.start();
  } catch (err) {
    await bot.stop();
    await h.stop();
    if (opts.fake === undefined) await fake.close();
    throw err;
  }
  const world: World = {
    fake,
    h,
    bot,
    alice: ALICE,
    bob: BOB,
    logs,
    base(user = ALICE, extra = {}) {
      return { applicationId: fake.applicationId, guildId: fake.guildId, channelId: fake.channelId, user, ...extra };
    },
    jobOf(user) {
      return poll(async () => (await h.core.jobs.listForRequester('discord', user.id, 1))[0], 10_000, `a job of ${user.username}`);
    },
    async waitJob(id, check, what) {
      try {
        return await poll(
          async () => {
            const j = await h.core.jobs.get(id);
            return j !== null && check(j) ? j : undefined;
          },
          15_000,
          what,
        );
      } catch (err) {
        // Say where it stuck: the job as the core sees it and the task as the avatar server does.
        const j = await h.core.jobs.get(id);
        const task = h.mock.tasks().find((t) => t.taskId === j?.taskId);
        throw new Error(
          `${(err as Error).message}; job ${j?.state}/${j?.taskStatus} delivered=${j?.delivered}; task ${JSON.stringify(task)}`,
        );
      }
    },
    async waitFor(check, timeoutMs, what) {
      try {
        return await poll(check, timeoutMs, what);
      } catch (err) {
        throw new Error(`${(err as Error).message}; ${await world.diagnose()}`);
      }
    },
    async diagnose() {
      const jobs = (await Promise.all([ALICE, BOB, ...extraUsers].map((u) => h.core.jobs.listForRequester('discord', u.id, 5)))).flat();
      return JSON.stringify({
        jobs: jobs.map((j) => ({
          id: j.id,
          state: j.state,
          task: j.taskId,
          status: j.taskStatus,
          delivered: j.delivered,
          err: j.errorCode,
        })),
        tasks: h.mock.tasks(),
        stats: h.mock.stats(),
        logs: logs.filter((l) => Number(l.level) >= 40),
      });
    },
    async stop() {
      await bot.stop();
      await h.stop();
      if (opts.fake === undefined) await fake.close();
    },
  };
  return world;
}

/** The words of a recorded request's JSON body: its content, or a result card's text displays. */
export function contentOf(r: RecordedRequest): string {
  return visibleText(r.json);
}

/** The words a stored message shows (its content, or a result card's text displays). */
export function textOf(message: Json | undefined): string {
  return visibleText(message);
}

/** Custom ids of the buttons in a recorded request's JSON body (in rows, or nested in a card). */
export function buttonsOf(r: RecordedRequest): string[] {
  type Node = { type?: number; custom_id?: string; components?: Node[] };
  const walk = (nodes: Node[] | undefined): string[] =>
    (nodes ?? []).flatMap((n) => (n.type === 2 ? [n.custom_id ?? ''] : walk(n.components)));
  return walk((r.json as { components?: Node[] } | null)?.components);
}

/** An attachment option value for a slash command. */
export function attachmentOption(name: string, attachment: Json): { name: string; type: number; value: string } {
  return { name, type: 11, value: String(attachment.id) };
}
