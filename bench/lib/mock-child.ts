/**
 * The local avatar server in its own process (forked by mock-process.ts), so figures that
 * measure the bot's event loop, CPU and memory do not also count the server's work.
 * Control over IPC: `{ id, op: 'tasks' | 'stats' | 'completeAll' | 'close' }`.
 */
import { createPreviewAvatarServer, type RenderTimeInfo } from '../../src/preview-avatar/index.js';
import type { RenderTimeModel } from './mock-process.js';
import { renderSeconds, seededRandom } from './random.js';

interface ChildOptions {
  renderMs: number;
  queueMs: number;
  maxBodyBytes?: number;
  model?: RenderTimeModel;
}

interface Command {
  id: number;
  op: 'tasks' | 'stats' | 'completeAll' | 'close';
}

const opts = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;

function modelled(model: RenderTimeModel): (info: RenderTimeInfo) => number {
  const random = seededRandom(model.seed);
  return (info) => {
    const audioSeconds = Math.max(1, Math.round(info.audioBytes / model.bytesPerSecond));
    return Math.round(renderSeconds(audioSeconds, model, random) * 1000);
  };
}

const mock = createPreviewAvatarServer({
  render: false,
  renderMs: opts.model === undefined ? () => opts.renderMs : modelled(opts.model),
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
