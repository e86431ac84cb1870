/** The buttons on a progress message, and their custom ids (`avatar:<action>:<jobId>`). */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';

export type JobAction = 'cancel' | 'retry';

export function actionId(action: JobAction, jobId: string): string {
  return `avatar:${action}:${jobId}`;
}

/** Reads a button custom id; null for buttons that are not ours. */
export function parseActionId(customId: string): { action: JobAction; jobId: string } | null {
  const m = /^avatar:(cancel|retry):(.+)$/.exec(customId);
  if (m === null) return null;
  return { action: m[1] as JobAction, jobId: m[2] as string };
}

export function buttonRow(action: JobAction, jobId: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: action === 'cancel' ? ButtonStyle.Secondary : ButtonStyle.Primary,
        label: action === 'cancel' ? 'Cancel' : 'Retry',
        custom_id: actionId(action, jobId),
      },
    ],
  };
}

/** Buttons on a result card: Delete (the requester's) and "Same face, new voice note". */
export type CardAction = 'delete' | 'same-face';

function cardActionId(action: CardAction, jobId: string): string {
  return `avatar:${action}:${jobId}`;
}

/** Reads a card button's custom id; null for other buttons. */
export function parseCardActionId(customId: string): { action: CardAction; jobId: string } | null {
  const m = /^avatar:(delete|same-face):(.+)$/.exec(customId);
  if (m === null) return null;
  return { action: m[1] as CardAction, jobId: m[2] as string };
}

export function cardButton(action: CardAction, jobId: string, label: string): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: action === 'delete' ? ButtonStyle.Danger : ButtonStyle.Secondary,
    label,
    custom_id: cardActionId(action, jobId),
  };
}
