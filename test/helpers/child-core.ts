/**
 * A core in a child process, for kill -9 tests. Environment: the bot's variables, plus
 * DELIVERIES_FILE (each answer appended as one JSON line, synchronously, as a platform would
 * record a message) and CREATE_JOBS (jobs to create at start). Prints `SUBMITTED <ids>` once
 * every created job is at the service.
 */
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { coreConfigOf, parseConfig } from '../../src/config/index.js';
import { createCore } from '../../src/core/index.js';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import { makeJpeg, makeTone } from './media.js';

const env = process.env;
const config = parseConfig(env);
const handle = createCore(coreConfigOf(config), { logger: pino({ level: config.logLevel }, pino.destination(2)) });
const file = env.DELIVERIES_FILE ?? '';
const record = (jobId: string, kind: string): void => appendFileSync(file, `${JSON.stringify({ jobId, kind, pid: process.pid })}\n`);
handle.core.registerReply('test', {
  progress: async () => undefined,
  result: async (job) => record(job.id, 'result'),
  error: async (job, e) => record(job.id, `error:${e.code}`),
});
await handle.start();
const n = Number(env.CREATE_JOBS ?? '0');
const ids: string[] = [];
for (let i = 0; i < n; i++) {
  const job = await handle.core.jobs.create({
    platform: 'test',
    requesterId: `person-${i}`,
    groupId: '',
    replyTo: `test:${i}`,
    image: bytesInput(await makeJpeg()),
    speech: voiceFile(bytesInput(await makeTone(1, 'ogg'))),
  });
  ids.push(job.id);
}
let checking = false;
let announced = false;
const waitSubmitted = setInterval(() => {
  if (checking || announced) return;
  checking = true;
  void Promise.all(ids.map((id) => handle.core.jobs.get(id)))
    .then((jobs) => {
      if (!announced && jobs.every((j) => j?.state === 'submitted')) {
        announced = true;
        clearInterval(waitSubmitted);
        process.stdout.write(`SUBMITTED ${ids.join(',')}\n`);
      }
    })
    .finally(() => {
      checking = false;
    });
}, 20);
process.stdout.write('STARTED\n');
// Like the bot's HTTP server, this keeps the process up until it is told to stop.
const keepAlive = setInterval(() => undefined, 60_000);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  void handle.stop().then(() => process.exit(0));
});
