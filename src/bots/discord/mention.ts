/**
 * A message that mentions the bot and replies to a voice note (optionally carrying a face
 * image). Reading the replied-to voice note needs the MESSAGE_CONTENT intent; without it the
 * bot points to the context menu instead of failing silently.
 */
import type { Message } from 'discord.js';
import { voiceFile } from '../../core/ports.js';
import { firstDelivery } from '../shared/dedupe.js';
import { checkAccess } from './access.js';
import { PLATFORM, type BotContext } from './context.js';
import { findVoiceAudio, imageAttachment, inputOf } from './media/voice.js';
import { DEFAULT_UPLOAD_LIMIT } from './replies/reply-state.js';
import { problemMessage, startJob } from './start-job.js';
import { WORDS } from './words.js';

export async function handleMention(ctx: BotContext, message: Message): Promise<void> {
  const me = ctx.client.user;
  if (message.author.bot || me === null) return;
  // A reply to one of our own messages pings us without naming us: not a request.
  if (!message.mentions.has(me.id, { ignoreEveryone: true, ignoreRoles: true, ignoreRepliedUser: true })) return;
  if (!(await firstDelivery(ctx.core, `discord:message:${message.id}`))) return;
  const answer = (content: string) => message.reply({ content, allowedMentions: { parse: [], repliedUser: false } });

  if (!ctx.config.messageContent) {
    await answer(WORDS.needsMessageContent);
    return;
  }
  const roleIds = message.member !== null ? [...message.member.roles.cache.keys()] : null;
  const channel = message.channel;
  const denied = checkAccess(ctx.config, {
    channelId: message.channelId,
    parentChannelId: channel.isThread() ? channel.parentId : null,
    roleIds,
  });
  if (denied !== null) {
    await answer(denied);
    return;
  }
  if (message.reference?.messageId === undefined) {
    await answer(WORDS.mentionHelp);
    return;
  }
  const image = imageAttachment(message);
  if (image === undefined && (await ctx.core.faces.get(PLATFORM, message.author.id)) === null) {
    await answer(WORDS.noFace);
    return;
  }
  const voice = await message.fetchReference();
  const found = await findVoiceAudio(voice, ctx.core, ctx.policy);
  if ('problem' in found) {
    await answer(found.problem);
    return;
  }
  // No interaction token here: one bot reply is the progress message, edited until the result.
  const progress = await answer(WORDS.working);
  const outcome = await startJob(ctx, {
    requesterId: message.author.id,
    groupId: message.guildId ?? '',
    target: { guildId: message.guildId ?? undefined, channelId: message.channelId, messageId: message.id },
    state: { v: 1, sizeLimit: DEFAULT_UPLOAD_LIMIT, messageId: progress.id },
    image: image !== undefined ? inputOf(image, 'image', ctx.policy) : null,
    speech: voiceFile(found.audio),
  });
  if ('problem' in outcome) await progress.edit(problemMessage(outcome));
}
