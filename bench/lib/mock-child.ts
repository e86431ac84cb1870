/**
 * The local avatar server in its own process (forked by mock-process.ts), so figures that
 * measure the bot's event loop, CPU and memory do not also count the server's work.
 * Control over IPC: `{ id, op: 'tasks' | 'stats' | 'completeAll' | 'close' }`.
 */
import { createPreviewAvatarServer } from '../../src/preview-avatar/index.js';

interface ChildOptions {
  renderMs: number;
  queueMs: number;
  maxBodyBytes?: number;
}

interface Command {
  id: number;
  op: 'tasks' | 'stats' | 'completeAll' | 'close';
}

const opts = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const mock = createPreviewAvatarServer({
  render: false,
  renderMs: () => opts.renderMs,
  queueMs: opts.queueMs,
  ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
});
await mock.start();
process.send?.({ ready: true, url: mock.url });

process.on('message', (raw: unknown) => {
  const cmd = raw as Command;
  const answer = (data: unknown): void => {
    process.send?.({ id: cmd.id, data });
  };
  if (cmd.op === 'tasks') answer(mock.tasks());
  else if (cmd.op === 'stats') answer(mock.stats());
  else if (cmd.op === 'completeAll') {
    let n = 0;
    for (const t of mock.tasks()) {
      if (t.finishedAt === null) {
        mock.completeNow(t.taskId);
        n += 1;
      }
    }
    answer(n);
  } else if (cmd.op === 'close') {
    void mock.close().then(() => {
      answer(true);
      process.disconnect();
    });
  }
});
