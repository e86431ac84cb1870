/**
 * The fake platforms in their own process (forked by platform-process.ts): the fake Discord
 * (gateway + REST), the fake Slack (Web API + file hosts) and the senders of figure 1's bursts.
 * Ack times are taken here, on this process's clock, so the bot's process does nothing but be
 * the bot. Control over IPC: `{ id, op: 'discordBurst' | 'slackBurst' | 'close', ... }`.
 */
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
  let failed = 0;
  const acks = await Promise.all(
    envelopes.map(async (env) => {
      const t0 = performance.now();
      try {
        const res = await signer.postEvent(env);
        if (res.status !== 200) failed += 1;
      } catch {
        // The signer gives up after 10 s: Slack would have retried long before. Kept as its elapsed time.
        failed += 1;
      }
      return performance.now() - t0;
    }),
  );
  return { acks, users, failed };
}

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
