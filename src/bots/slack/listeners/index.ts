/** Every Slack listener, by kind: each kind's `register(app, ctx)` wires its handlers. */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { createQuietGate } from '../../shared/quiet-gate.js';
import { createAckedFirst } from './acked-first.js';
import { register as registerActions } from './actions/index.js';
import { register as registerCommands } from './commands/index.js';
import { register as registerEvents } from './events/index.js';
import { register as registerOptions } from './options/index.js';
import { register as registerShortcuts } from './shortcuts/index.js';

export function registerListeners(app: App, ctx: SlackContext): void {
  app.use(createAckedFirst(createQuietGate()));
  registerEvents(app, ctx);
  registerShortcuts(app, ctx);
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerOptions(app, ctx);
}
