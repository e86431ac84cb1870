/**
 * The fake platforms in their own process (forked by platform-process.ts): the fake Discord
 * (gateway + REST), the fake Slack (Web API + file hosts) and the senders of figure 1's bursts.
 * Ack times are taken here, on this process's clock, so the bot's process does nothing but be
 * the bot. Control over IPC: `{ id, op: 'discordBurst' | 'slackBurst' | 'close', ... }`.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startFakeDiscord } from '../../test/fakes/discord/fake-discord.js';
import { slashInteraction } from '../../test/fakes/discord/payloads.js';
import { createFakeSlack } from '../../test/fakes/slack/fake-slack.js';
import { createForeignHost } from '../../test/fakes/slack/foreign-host.js';
import { createSlackSigner, mentionEnvelope } from '../../test/fakes/slack/signer.js';
import { makeJpeg, makeTone } from '../../test/helpers/media.js';
import { until } from './log.js';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from './platform-process.js';

const CHANNEL = 'C0BENCH';

export interface PlatformInfo {
  discord: { token: string; apiUrl: string };
  slack: { apiUrl: string };
}

export type PlatformCommand =
  | { id: number; op: 'discordBurst'; n: number; run: number }
  | { id: number; op: 'slackBurst'; n: number; run: number; endpoint: string }
  | { id: number; op: 'close' };

/** Ack times in ms, and the people who sent the requests (the bench checks their jobs). */
export interface BurstResult {
  acks: number[];
  users: string[];
  /** Discord: not deferred; Slack: not 200 (or no answer within the signer's 10 s). */
  failed: number;
}

const media = { jpeg: await makeJpeg(640, 640), voice: await makeTone(4, 'ogg') };
const discord = await startFakeDiscord();
const foreign = createForeignHost();
await foreign.start();
const slack = createFakeSlack({ botToken: SLACK_BOT_TOKEN, foreign });
await slack.start();

/**
 * The instrument warms up before the first timed burst: this process's HTTP client and server and
 * the fake Discord's REST routing would otherwise compile during run 1 and count their own
 * first-use cost in the bot's ack times. The bot is not touched: it starts cold in every run.
 */
async function warmUp(): Promise<void> {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
  const body = JSON.stringify({ type: 5, warm: 'x'.repeat(512) });
  const post = (to: string) => postTimed(to, body, { 'content-type': 'application/json' });
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(Array.from({ length: 100 }, () => post(url)));
    // No interaction has these ids: the fake answers 404 after parsing and routing, as it will for real ones.
    await Promise.all(Array.from({ length: 100 }, (_, i) => post(`${discord.apiUrl}/interactions/${i + 1}/warm-up/callback`)));
  }
  await new Promise<void>((resolve) => sink.close(() => resolve()));
}

async function discordBurst(n: number, run: number): Promise<BurstResult> {
  const base = {
    applicationId: discord.applicationId,
    guildId: discord.guildId,
    channelId: discord.channelId,
    attachmentSizeLimit: 25 * 1024 * 1024,
  };
  const users = Array.from({ length: n }, (_, i) => String(300_000_000_000_000_000n + BigInt(run * 1000 + i)));
  const interactions = users.map((id, i) => {
    const audio = discord.addAttachment({ filename: 'voice.ogg', contentType: 'audio/ogg', bytes: media.voice });
    const image = discord.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: media.jpeg });
    return slashInteraction(
      { ...base, user: { id, username: `user${i}` } },
      {
        name: 'avatar',
        options: [
          { name: 'audio', type: 11, value: String(audio.id) },
          { name: 'image', type: 11, value: String(image.id) },
        ],
        attachments: [audio, image],
      },
    );
  });
  const sent = new Map<string, number>();
  // All at once: the gateway pushes them back to back, as a busy server's shard would.
  for (const interaction of interactions) {
    sent.set(String(interaction.id), Date.now());
    discord.sendInteraction(interaction);
  }
  const callbackOf = (id: string) => discord.requests.find((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`));
  await until(() => [...sent.keys()].every((id) => callbackOf(id) !== undefined), 60_000, 20);
  const acks: number[] = [];
  for (const [id, at] of sent) {
    const cb = callbackOf(id);
    if (cb !== undefined && (cb.json as { type?: number } | null)?.type === 5) acks.push(cb.at - at);
  }
  return { acks, users, failed: n - acks.length };
}

/**
 * One POST on its own connection, timed from the moment the request was handed to the socket
 * ('finish') to the end of the answer: starting 200 requests takes this process a while, and
 * that is the sender's time, not the bot's. No answer within 10 s: status 0, timed as 10 s.
 */
function postTimed(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    let t0 = performance.now();
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false });
    const timer = setTimeout(() => req.destroy(new Error('no answer within 10 s')), 10_000);
    req.on('finish', () => {
      t0 = performance.now();
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 });
      });
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ status: 0, ms: performance.now() - t0 });
    });
    req.end(body);
  });
}

async function slackBurst(n: number, run: number, endpoint: string): Promise<BurstResult> {
  const signer = createSlackSigner(SLACK_SIGNING_SECRET, endpoint);
  const users = Array.from({ length: n }, (_, i) => `U0R${run}B${String(i).padStart(4, '0')}`);
  const envelopes = users.map((user) => {
    const face = slack.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: media.jpeg });
    const clip = slack.addFile({ name: 'audio_message.ogg', mimetype: 'audio/ogg', subtype: 'slack_audio', bytes: media.voice });
    const text = `<@${slack.botUserId}> talk`;
    return mentionEnvelope({
      team: slack.teamId,
      channel: CHANNEL,
      user,
      ts: slack.nextTs(),
      text,
      files: [face, clip],
      botUserId: slack.botUserId,
    });
  });
  // Signed before any clock starts: the signature is the sender's work, not the bot's.
  const timestamp = Math.floor(Date.now() / 1000);
  const bodies = envelopes.map((env) => JSON.stringify(env));
  const signed = bodies.map((body) => ({ body, signature: signer.signature(body, timestamp) }));
  let failed = 0;
  const acks = await Promise.all(
    signed.map(async ({ body, signature }) => {
      const answer = await postTimed(endpoint, body, {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      });
      if (answer.status !== 200) failed += 1;
      return answer.ms;
    }),
  );
  return { acks, users, failed };
}

await warmUp();
const info: PlatformInfo = { discord: { token: discord.token, apiUrl: discord.apiUrl }, slack: { apiUrl: slack.apiUrl } };
process.send?.({ ready: true, info });

process.on('message', (raw: unknown) => {
  const cmd = raw as PlatformCommand;
  const answer = (data: unknown): void => {
    process.send?.({ id: cmd.id, data });
  };
  if (cmd.op === 'discordBurst') void discordBurst(cmd.n, cmd.run).then(answer);
  else if (cmd.op === 'slackBurst') void slackBurst(cmd.n, cmd.run, cmd.endpoint).then(answer);
  else if (cmd.op === 'close') {
    void Promise.all([discord.close(), slack.close(), foreign.close()]).then(() => {
      answer(true);
      process.disconnect();
    });
  }
});
