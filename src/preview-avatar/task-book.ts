import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLimiter } from '../core/limiter.js';
import type { FfmpegLimits } from '../core/media/ffmpeg-limits.js';
import { newTaskId } from './task-id.js';
import { measureAudioSeconds, placeholderMp4, renderPreview, RenderFailure } from './render-preview.js';
import type { PreviewTaskStatus, PreviewTaskView, RenderTimeInfo, TaskOutcome } from './types.js';
import { deliverWebhook, type WebhookBody } from './webhook.js';

type Outcome = 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'CANCELED' | 'STUCK';

/** One task as the server keeps it. */
export interface PreviewTask {
  id: string;
  createdAt: number;
  /** When it leaves IN_QUEUE. */
  startsAt: number;
  /** The planned end; null until the audio was measured. */
  dueAt: number | null;
  finishedAt: number | null;
  /** Set once final. */
  finalStatus: Exclude<PreviewTaskStatus, 'IN_QUEUE' | 'IN_PROGRESS'> | null;
  outcome: Outcome;
  scriptedError: string | null;
  error: string | null;
  webhook: { url: string; authToken: string | null } | null;
  forced: boolean;
  renderDone: boolean;
  renderError: string | null;
  /** The rendered MP4 on disk; null with rendering off (the placeholder is served instead). */
  filePath: string | null;
  outputDuration: number | null;
  audioSeconds: number | null;
  /** Why the video is the still face (e.g. no face found); null when it talks or is not rendered. */
  previewNote: string | null;
}

export interface TaskBookDeps {
  workDir: string;
  ffmpegPath: string;
  ffmpegTimeoutMs: number;
  ffmpegLimits: FfmpegLimits;
  render: boolean;
  queueMs: number;
  renderMs: ((info: RenderTimeInfo) => number) | undefined;
  webhookRetryDelaysMs: number[];
  /** Aborted by close(): kills ffmpeg, stops webhook retries. */
  signal: AbortSignal;
  logger: Logger;
  onWebhook(ok: boolean): void;
}

const PLACEHOLDER = placeholderMp4();
const DEFAULT_ERRORS: Record<string, string> = {
  FAILED: 'The task failed (scripted by the local preview server).',
  TIMED_OUT: 'The task timed out (scripted by the local preview server).',
};

/** The default render time: half a second per second of audio, plus a little, capped at 30 s. */
function defaultRenderMs(info: RenderTimeInfo): number {
  // Unknown length (rendering off): pretend two seconds of audio.
  const seconds = info.audioSeconds ?? 2;
  return Math.min(30_000, 500 + seconds * 1000 * 0.5);
}

/** Task lifecycle: timers, rendering, webhook delivery. Everything stops on `deps.signal`. */
export class TaskBook {
  private readonly tasks = new Map<string, PreviewTask>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly limiter = createLimiter(2);
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly deps: TaskBookDeps) {}

  get(id: string): PreviewTask | undefined {
    return this.tasks.get(id);
  }

  /** The status the API reports right now. */
  statusOf(task: PreviewTask, now = Date.now()): PreviewTaskStatus {
    if (task.finalStatus !== null) return task.finalStatus;
    return now < task.startsAt ? 'IN_QUEUE' : 'IN_PROGRESS';
  }

  /** The served bytes source: a path on disk, or the placeholder buffer. */
  fileOf(task: PreviewTask): { path: string } | { bytes: Buffer } | null {
    if (task.finalStatus !== 'COMPLETED') return null;
    return task.filePath !== null ? { path: task.filePath } : { bytes: PLACEHOLDER };
  }

  list(): PreviewTaskView[] {
    return [...this.tasks.values()].map((t) => ({
      taskId: t.id,
      status: this.statusOf(t),
      createdAt: t.createdAt,
      finishedAt: t.finishedAt,
      webhookUrl: t.webhook?.url ?? null,
    }));
  }

  /** Creates a task and starts its work in the background. */
  create(input: {
    image: Buffer;
    audio: Buffer;
    webhook: { url: string; authToken: string | null } | null;
    outcome: TaskOutcome | null;
  }): PreviewTask {
    const now = Date.now();
    const outcome: Outcome = input.outcome?.status ?? 'COMPLETED';
    const task: PreviewTask = {
      id: newTaskId(),
      createdAt: now,
      startsAt: now + this.deps.queueMs,
      dueAt: null,
      finishedAt: null,
      finalStatus: null,
      outcome,
      scriptedError: input.outcome !== null && 'error' in input.outcome ? (input.outcome.error ?? null) : null,
      error: null,
      webhook: input.webhook,
      forced: false,
      renderDone: false,
      renderError: null,
      filePath: null,
      outputDuration: null,
      audioSeconds: null,
      previewNote: null,
    };
    this.tasks.set(task.id, task);
    this.track(
      this.prepare(task, input.image, input.audio).catch((err: unknown) => {
        // A bug or a full disk: the task must still end rather than hang IN_PROGRESS.
        if (this.deps.signal.aborted) return;
        this.deps.logger.error({ taskId: task.id, err: (err as Error).message }, 'preview-avatar: task preparation failed');
        task.renderError = 'Internal error of the local preview server.';
        task.renderDone = true;
        task.dueAt ??= Date.now();
        this.maybeFinish(task);
      }),
    );
    return task;
  }

  /** Finishes a task as soon as its render allows, ignoring its planned time (and un-sticks it). */
  completeNow(id: string): void {
    const task = this.tasks.get(id);
    if (task === undefined || task.finalStatus !== null) return;
    task.forced = true;
    this.maybeFinish(task);
  }

  /** Stops timers and waits for background work (already aborted through the signal). */
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => {
      this.deps.logger.error({ err: (err as Error).message }, 'preview-avatar: background work failed');
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.deps.signal.aborted) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.timers.add(timer);
  }

  private async prepare(task: PreviewTask, image: Buffer, audio: Buffer): Promise<void> {
    const dir = join(this.deps.workDir, task.id);
    const renderDeps = {
      ffmpegPath: this.deps.ffmpegPath,
      timeoutMs: this.deps.ffmpegTimeoutMs,
      limits: this.deps.ffmpegLimits,
      signal: this.deps.signal,
    };
    const audioPath = join(dir, 'voice');
    if (this.deps.render) {
      await mkdir(dir, { recursive: true });
      await writeFile(audioPath, audio);
      task.audioSeconds = await this.limiter.run(() => measureAudioSeconds(audioPath, renderDeps));
      if (task.audioSeconds === null) task.renderError = 'The audio could not be decoded.';
    }
    if (this.deps.signal.aborted) return;
    const info: RenderTimeInfo = { audioBytes: audio.byteLength, audioSeconds: task.audioSeconds, taskId: task.id };
    const renderMs = (this.deps.renderMs ?? defaultRenderMs)(info);
    task.dueAt = task.createdAt + renderMs;
    this.schedule(task.dueAt - Date.now(), () => this.maybeFinish(task));

    const wantsFile = task.outcome === 'COMPLETED' || task.outcome === 'STUCK';
    if (this.deps.render && wantsFile && task.renderError === null) {
      const outPath = join(dir, `preview-${task.id}.mp4`);
      try {
        const made = await this.limiter.run(() =>
          renderPreview({ imageBytes: image, audioPath, audioSeconds: task.audioSeconds, workDir: dir, outPath }, renderDeps),
        );
        task.outputDuration = made.seconds;
        task.previewNote = made.note;
        if (made.note !== null) this.deps.logger.info({ taskId: task.id, note: made.note }, `preview-avatar: ${made.note}`);
        task.filePath = outPath;
      } catch (err) {
        if (this.deps.signal.aborted) return;
        if (!(err instanceof RenderFailure)) throw err;
        task.renderError = err.message;
      }
    } else if (!this.deps.render) {
      task.outputDuration = task.audioSeconds;
    }
    // The inputs are no longer needed; only the MP4 is served.
    await rm(audioPath, { force: true });
    await rm(join(dir, 'face.png'), { force: true });
    task.renderDone = true;
    this.maybeFinish(task);
  }

  private maybeFinish(task: PreviewTask): void {
    if (task.finalStatus !== null || this.deps.signal.aborted) return;
    if (!task.renderDone) return;
    if (!task.forced) {
      if (task.outcome === 'STUCK') return;
      if (task.dueAt === null) return;
      const early = task.dueAt - Date.now();
      if (early > 0) {
        // Timers can fire a millisecond before Date.now() reaches the due time: look again then,
        // or the task would stay IN_PROGRESS forever.
        this.schedule(early + 1, () => this.maybeFinish(task));
        return;
      }
    }
    const now = Date.now();
    if (task.renderError !== null) {
      task.finalStatus = 'FAILED';
      task.error = task.renderError;
    } else if (task.outcome === 'COMPLETED' || task.outcome === 'STUCK') {
      task.finalStatus = 'COMPLETED';
    } else {
      task.finalStatus = task.outcome;
      task.error = task.scriptedError ?? DEFAULT_ERRORS[task.outcome] ?? null;
    }
    task.finishedAt = now;
    this.deps.logger.info({ taskId: task.id, status: task.finalStatus }, 'preview-avatar: task finished');
    if (task.webhook !== null) this.track(this.sendWebhook(task, task.webhook));
  }

  private async sendWebhook(task: PreviewTask, webhook: { url: string; authToken: string | null }): Promise<void> {
    const finishedAt = task.finishedAt ?? Date.now();
    const started = Math.min(task.startsAt, finishedAt);
    const executionTime = Math.max(0, finishedAt - started);
    const body: WebhookBody = {
      id: task.id,
      status: task.finalStatus ?? 'FAILED',
      delayTime: Math.max(0, started - task.createdAt),
      executionTime,
      output: { id: task.id, infer_time: executionTime / 1000 },
    };
    if (task.finalStatus === 'COMPLETED') {
      if (task.outputDuration !== null) body.output.output_duration = task.outputDuration;
      body.output.s3_info = { region: 'local', bucket: 'preview-avatar', key: `preview-${task.id}.mp4` };
    }
    if (task.error !== null) body.error = task.error;
    await deliverWebhook(webhook, body, {
      retryDelaysMs: this.deps.webhookRetryDelaysMs,
      signal: this.deps.signal,
      logger: this.deps.logger,
      onAttempt: (ok) => this.deps.onWebhook(ok),
    });
  }
}
