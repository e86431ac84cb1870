/**
 * The answer by direct message, for a person whose app is installed to their account (the bot
 * is no member of the channel) once the interaction token is gone: open the DM channel, then
 * post (or edit the DM posted before).
 */
import { Routes, type REST } from 'discord.js';
import { sendMessage, type UploadFile } from '../media/multipart.js';

export interface DirectMessage {
  channelId: string;
  messageId: string;
}

export async function sendDirect(
  rest: REST,
  userId: string,
  earlier: Partial<DirectMessage>,
  body: Record<string, unknown>,
  files: UploadFile[],
): Promise<DirectMessage> {
  if (earlier.channelId !== undefined && earlier.messageId !== undefined) {
    await sendMessage(rest, 'patch', Routes.channelMessage(earlier.channelId, earlier.messageId), body, files, true);
    return { channelId: earlier.channelId, messageId: earlier.messageId };
  }
  let channelId = earlier.channelId;
  if (channelId === undefined) {
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id?: unknown };
    if (typeof channel.id !== 'string') throw new Error('POST /users/@me/channels gave no channel id');
    channelId = channel.id;
  }
  const posted = (await sendMessage(rest, 'post', Routes.channelMessages(channelId), body, files, true)) as { id?: unknown };
  if (typeof posted.id !== 'string') throw new Error('the direct message came back without an id');
  return { channelId, messageId: posted.id };
}
