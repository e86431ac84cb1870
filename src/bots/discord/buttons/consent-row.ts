/** The consent button under a CONSENT_NEEDED question, and its custom id (`avatar:consent:<nonce>:<userId>`). */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { CONSENT_BUTTON } from '../../shared/words/consent.js';

export interface ConsentId {
  nonce: string;
  /** The requester: anyone else's click is refused without touching the wait, even once it expired. */
  owner: string;
}

export function consentRow(nonce: string, owner: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Success, label: CONSENT_BUTTON, custom_id: `avatar:consent:${nonce}:${owner}` },
    ],
  };
}

/** Reads a consent button's custom id; null for other buttons. */
export function parseConsentId(customId: string): ConsentId | null {
  const m = /^avatar:consent:([\w-]+):(\d+)$/.exec(customId);
  return m === null ? null : { nonce: m[1] as string, owner: m[2] as string };
}
