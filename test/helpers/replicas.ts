/**
 * The scale-out scenario, shared by the proof test (test/scale/replicas.test.ts) and the
 * benchmark figure (bench/figures/replicas.ts): one Redis on a loopback port of its own, the
 * fake Discord and the local avatar server in this process, one gateway and N workers as real
 * `src/main.ts` child processes, `jobs` /avatar interactions, and one worker killed with SIGKILL
 * once half the jobs are answered. Returns what each interaction received, for the caller to
 * judge, and the timings.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { visibleText } from '../../src/bots/discord/replies/card.js';
import { createFakeAvatarServer } from '../fakes/avatar/index.js';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../fakes/discord/fake-discord.js';
import { slashInteraction, type FakeUser } from '../fakes/discord/payloads.js';
import { FAST_ENV } from './harness.js';
import { makePng, makeTone } from './media.js';
import { startRedis } from './redis-server.js';
import { spawnTs } from './spawn.js';

export interface ScenarioOptions {
  jobs: number;
  workers: number;
  /** Kill one worker with SIGKILL once this many answers arrived (undefined: no kill). */
  killAfter?: number;
  /** Upper bound for the whole run (the scenario throws past it). */
  timeoutMs: number;
  /** Render time of the local avatar server per task. */
  renderMs: () => number;
  /** More settings for every process (the bench's cause checks). */
  env?: Record<string, string>;
}

interface InteractionOutcome {
  token: string;
  sentAt: number;
  /** Final answers (the video or an error) edited into @original, in order. */
  finals: Array<{ at: number; content: string }>;
  /** Messages posted outside @original for this interaction (a second answer would show here). */
  extraMessages: number;
}

export interface ScenarioResult {
  outcomes: InteractionOutcome[];
  /** Submits the avatar server received (at most one per job: never sent twice). */
  submits: number;
  statusCalls: number;
  killedAt: number | null;
  startedAt: number;
  endedAt: number;
  /** Tail of each process's output, for failure messages. */
  logs: Record<string, string>;
  /** Final answers each process sent, by process name (gateway, worker-1..N). */
  deliveredBy: Record<string, number>;
  /** Gateway sessions the fake Discord saw (only the gateway role may open one). */
  identifies: number;
}

class Child {
  private tail: string[] = [];
  /** Final answers this process sent (its "answer delivered" log lines). */
  delivered = 0;
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly proc: ChildProcessWithoutNullStreams,
  ) {
    // Always drain both pipes: a child blocked on a full stdout would stall the whole run.
    const keep = (d: Buffer): void => {
      const lines = d
        .toString()
        .split('\n')
        .filter((l) => l !== '');
      this.delivered += lines.filter((l) => l.includes('"answer delivered"')).length;
      this.tail.push(...lines);
      if (this.tail.length > 400) this.tail.splice(0, this.tail.length - 400);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }
  has(pattern: RegExp): boolean {
    return this.tail.some((l) => pattern.test(l));
  }
  output(): string {
    return this.tail.slice(-60).join('\n');
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string, describe: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isFinalEdit(r: RecordedRequest): boolean {
  // Progress says "queued" / "rendering"; the result (a card: its words are in text displays) and every error are final.
  const words = visibleText(r.json);
  return words !== '' && !/queued|rendering|waiting|in line/i.test(words);
}

export async function runReplicaScenario(opts: ScenarioOptions): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tab-replicas-'));
  const redis = await startRedis();
  const fake: FakeDiscord = await startFakeDiscord();
  const mock = createFakeAvatarServer({ renderMs: opts.renderMs, queueMs: 20, render: false });
  await mock.start();
  const children: Child[] = [];
  const env: Record<string, string> = {
    ...FAST_ENV,
    LOG_LEVEL: 'info',
    PORT: '0',
    PLAYGROUND: 'off',
    DATA_DIR: join(dir, 'unused'),
    REDIS_URL: redis.url,
    AVATAR_API_URL: mock.url,
    AVATAR_API_KEY: 'test-key',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    // Many people, so the per-person cap never makes this a test of the queue alone.
    LIMIT_PER_PERSON: '10',
    LIMIT_PER_GROUP: '1000',
    LIMIT_IN_FLIGHT: '200',
    QUEUE_MAX: String(opts.jobs * 2),
    WORKER_CONCURRENCY: '50',
    // A dead worker's tasks move on after 2 s instead of 30.
    WORKER_LOCK_SECONDS: '2',
    AVATAR_TIMEOUT_SECONDS: '120',
    ...opts.env,
  };
  const describe = (): string => children.map((c) => `--- ${c.name}\n${c.output()}`).join('\n');
  try {
    for (let i = 0; i < opts.workers; i++) {
      children.push(new Child(`worker-${i + 1}`, spawnTs('src/main.ts', [], { env: { ...env, ROLE: 'worker' }, cwd: dir })));
    }
    const gateway = new Child('gateway', spawnTs('src/main.ts', [], { env: { ...env, ROLE: 'gateway' }, cwd: dir }));
    children.push(gateway);
    await until(() => children.every((c) => c.has(/listening on/)), 60_000, 'every process to listen', describe);
    await until(() => gateway.has(/discord: connected/), 30_000, 'the gateway to connect to Discord', describe);

    const image = await makePng(64, 64);
    const audio = await makeTone(1, 'wav');
    const users: FakeUser[] = Array.from({ length: 50 }, (_, i) => ({ id: String(900000000000000000n + BigInt(i)), username: `user${i}` }));
    const outcomes: InteractionOutcome[] = [];
    const startedAt = Date.now();
    for (let i = 0; i < opts.jobs; i++) {
      const a = fake.addAttachment({ filename: 'voice.wav', contentType: 'audio/wav', bytes: audio });
      const f = fake.addAttachment({ filename: 'face.png', contentType: 'image/png', bytes: image });
      const interaction = slashInteraction(
        {
          applicationId: fake.applicationId,
          guildId: fake.guildId,
          channelId: fake.channelId,
          user: users[i % users.length]!,
          attachmentSizeLimit: 25 * 1024 * 1024,
        },
        {
          name: 'avatar',
          options: [
            { name: 'audio', type: 11, value: String(a.id) },
            { name: 'image', type: 11, value: String(f.id) },
          ],
          attachments: [a, f],
        },
      );
      fake.sendInteraction(interaction);
      outcomes.push({ token: String(interaction.token), sentAt: Date.now(), finals: [], extraMessages: 0 });
      // A steady stream rather than one instant burst: closer to people using it.
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 50));
    }

    const byToken = new Map(outcomes.map((o) => [o.token, o]));
    let scanned = 0;
    const scan = (): number => {
      for (; scanned < fake.requests.length; scanned++) {
        const r = fake.requests[scanned]!;
        const m = /\/webhooks\/[^/]+\/([^/]+)\/messages\/@original$/.exec(r.path);
        const followUp = /\/webhooks\/[^/]+\/([^/?]+)$/.exec(r.path);
        if (r.method === 'PATCH' && m !== null) {
          const o = byToken.get(m[1]!);
          if (o !== undefined && isFinalEdit(r)) o.finals.push({ at: r.at, content: visibleText(r.json) });
        } else if (r.method === 'POST' && followUp !== null) {
          const o = byToken.get(followUp[1]!);
          if (o !== undefined) o.extraMessages += 1;
        }
      }
      return outcomes.filter((o) => o.finals.length > 0).length;
    };
    let killedAt: number | null = null;
    if (opts.killAfter !== undefined) {
      await until(() => scan() >= (opts.killAfter ?? 0), opts.timeoutMs, `${opts.killAfter} answers`, describe);
      const victim = children[0]!;
      victim.proc.kill('SIGKILL');
      killedAt = Date.now();
      await victim.exited;
    }
    await until(
      () => scan() >= opts.jobs,
      opts.timeoutMs,
      `all ${opts.jobs} answers`,
      () => {
        const missing = outcomes.filter((o) => o.finals.length === 0).length;
        return `${missing} interactions unanswered; mock tasks ${mock.tasks().length}\n${describe()}`;
      },
    );
    const endedAt = Math.max(...outcomes.map((o) => o.finals[0]?.at ?? 0));
    // Room for a wrong second answer (a re-run task, a duplicate delivery) to show up.
    await new Promise((r) => setTimeout(r, 3000));
    scan();
    return {
      outcomes,
      submits: mock.stats().submits,
      statusCalls: Object.values(mock.stats().statusCallsByTask).reduce((a, b) => a + b, 0),
      killedAt,
      startedAt,
      endedAt,
      logs: Object.fromEntries(children.map((c) => [c.name, c.output()])),
      deliveredBy: Object.fromEntries(children.map((c) => [c.name, c.delivered])),
      identifies: fake.identifies().length,
    };
  } finally {
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.race([Promise.all(children.map((c) => c.exited)), new Promise((r) => setTimeout(r, 12_000))]);
    for (const c of children) c.proc.kill('SIGKILL');
    await mock.close();
    await fake.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
