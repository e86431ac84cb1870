/**
 * "Yes, I may use this face" under a CONSENT_NEEDED question. The requester's click starts the
 * waiting request again, confirmed, on the same message (the job answers there as it would
 * have). Someone else is refused privately. After the wait expired (or a restart) the consent
 * is still recorded and the person is asked to send the request again.
 */
import type { ButtonInteraction } from 'discord.js';
import { CONSENT_NOT_YOURS, CONSENT_THANKS, consentExpiredSentence } from '../../shared/words/consent.js';
import { PLATFORM, type BotContext } from '../context.js';
import { problemMessage, startJob } from '../start-job.js';
import { WORDS } from '../words.js';
import type { ConsentId } from './consent-row.js';

export async function handleConsentButton(ctx: BotContext, interaction: ButtonInteraction, id: ConsentId): Promise<void> {
  const clicker = interaction.user.id;
  if (clicker !== id.owner) {
    await interaction.reply({ content: CONSENT_NOT_YOURS, flags: 'Ephemeral', allowedMentions: { parse: [] } });
    return;
  }
  const taken = ctx.consentWaits.take(id.nonce, clicker);
  if (taken.kind !== 'mine') {
    await ctx.core.consent.give(PLATFORM, clicker);
    await interaction.update({ content: consentExpiredSentence(ctx.core.consent.mode), components: [], allowedMentions: { parse: [] } });
    return;
  }
  // Acknowledge and clear the button at once: the files are fetched after this.
  await interaction.update({ content: `⏳ ${CONSENT_THANKS}`, components: [], allowedMentions: { parse: [] } });
  const outcome = await startJob(ctx, {
    ...taken.request,
    faceConsent: true,
    // The first interaction may be minutes old: this click's token edits the same message.
    beforeSpeech: async () => {
      await interaction.editReply({ content: WORDS.makingVoice, allowedMentions: { parse: [] } });
    },
  });
  if ('problem' in outcome) await interaction.editReply(problemMessage(outcome));
}
