/**
 * The tests' avatar service: the real local preview server with a fault plug-in. Scripted
 * faults (failNext), scripted task outcomes (nextOutcome), random faults by rate with a seed,
 * a record of the text-to-speech requests sent (speechRequests), speech-to-text (which the
 * preview lacks: segments given by a test or derived, or none) with a record of its requests,
 * and a credit budget (402 when spent) live here, not in src.
 */
import { createPreviewAvatarServer } from '../../../src/preview-avatar/index.js';
import type {
  PreviewAvatarFaults,
  PreviewAvatarOptions,
  PreviewAvatarServer,
  PreviewEndpoint,
  TaskOutcome,
} from '../../../src/preview-avatar/index.js';
import { sendProblem } from '../../../src/preview-avatar/problem.js';
import { applyFault, FaultPlan, type FaultRates, type ScriptedFault } from './faults.js';
import { createRng } from './random.js';
import { answerStt, type FakeStt, type SttRequest, sttRequestOf } from './stt.js';

export interface FakeAvatarOptions extends Omit<PreviewAvatarOptions, 'faults'> {
  /** Random faults, default none. */
  faults?: Partial<FaultRates>;
  /** Makes random faults reproducible. */
  seed?: number;
  /** When set, each accepted submit uses one; at 0 submits get 402. */
  credits?: number;
  /** Speech-to-text: what it hears (default: one derived segment across the audio); false: none, a 404 as the preview answers. */
  stt?: FakeStt | false;
}

/** One TTS request as the client sent it (fields the body did not have, or had with another type, are undefined). */
interface SpeechRequest {
  text: string | undefined;
  voice_profile_id: string | undefined;
  chinese_language: string | undefined;
  return_type: string | undefined;
}

export interface FakeAvatarServer extends PreviewAvatarServer {
  /** Every TTS request whose body was JSON, in order, faulted or refused ones included. */
  speechRequests(): SpeechRequest[];
  /** Queues one-shot faults for the next requests to an endpoint (FIFO). */
  failNext(endpoint: PreviewEndpoint, ...faults: ScriptedFault[]): void;
  /** Decides the outcome of the next submitted task (FIFO when called several times). */
  nextOutcome(outcome: TaskOutcome): void;
  /** Every speech-to-text request, in order (faulted or refused ones too, when their body was read). */
  sttRequests(): SttRequest[];
  /** Changes what speech-to-text hears from now on (false: none). */
  setStt(stt: FakeStt | false): void;
}

export function createFakeAvatarServer(options: FakeAvatarOptions = {}): FakeAvatarServer {
  const { faults: rates, seed, credits, stt: sttOption, ...preview } = options;
  let stt: FakeStt | false = sttOption ?? {};
  const sttSeen: SttRequest[] = [];
  const plan = new FaultPlan(rates, createRng(seed));
  const outcomes: TaskOutcome[] = [];
  let remaining = credits ?? null;
  const speeches: SpeechRequest[] = [];
  const field = (body: Record<string, unknown>, name: keyof SpeechRequest): string | undefined =>
    typeof body[name] === 'string' ? body[name] : undefined;
  const faults: PreviewAvatarFaults = {
    intercept(endpoint, req, res, later) {
      const fault = plan.next(endpoint);
      if (fault === null) return false;
      applyFault(fault, req, res, later);
      return true;
    },
    refuseTask(res) {
      if (remaining === null) return false;
      if (remaining <= 0) {
        sendProblem(res, 402, 'Insufficient credits.');
        return true;
      }
      remaining--;
      return false;
    },
    outcome() {
      // Drawn for every task, scripted or not, so a seed gives the same sequence either way.
      const stuck = plan.stuck();
      return outcomes.shift() ?? (stuck ? { status: 'STUCK' } : null);
    },
    sttRequested(body) {
      sttSeen.push(sttRequestOf(body));
    },
    transcribe(body) {
      return stt === false ? null : answerStt(stt, body, sttSeen.length);
    },
    speechRequested(body) {
      const b = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      speeches.push({
        text: field(b, 'text'),
        voice_profile_id: field(b, 'voice_profile_id'),
        chinese_language: field(b, 'chinese_language'),
        return_type: field(b, 'return_type'),
      });
    },
  };
  const server = createPreviewAvatarServer({ ...preview, faults });
  return Object.assign(server, {
    speechRequests: () => speeches.map((s) => ({ ...s })),
    failNext(endpoint: PreviewEndpoint, ...list: ScriptedFault[]) {
      plan.queue(endpoint, list);
    },
    nextOutcome(outcome: TaskOutcome) {
      outcomes.push(outcome);
    },
    sttRequests: () => sttSeen.map((r) => ({ ...r })),
    setStt(next: FakeStt | false) {
      stt = next;
    },
  });
}
