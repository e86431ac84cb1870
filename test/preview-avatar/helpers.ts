import { spawn } from 'node:child_process';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';
import { request } from 'undici';

/** A 64x64 PNG face (a flat colour is enough for a still-image preview). */
export async function makePng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 120, b: 90 } } })
    .png()
    .toBuffer();
}

/** A mono 16-bit PCM WAV with a 440 Hz tone. */
export function makeToneWav(seconds: number, sampleRate = 16000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 12000), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

import { SUBMIT_PATH, statusPath } from '../../src/core/api-paths.js';

export { SUBMIT_PATH as SUBMIT, statusPath };

export interface JsonAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP call with undici; returns the status, headers and body text. */
export async function call(
  url: string,
  options: { method?: 'GET' | 'POST' | 'HEAD'; body?: string; key?: string; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
  const res = await request(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** Polls `fn` until it returns a value other than undefined; bounded in count. `describe` tells what was last seen on failure. */
// 600 x 50 ms: renders queue behind each other (2 ffmpeg at a time), so a loaded CI box needs room.
export async function pollUntil<T>(
  fn: () => Promise<T | undefined>,
  maxTries = 600,
  intervalMs = 50,
  describe?: () => Promise<string>,
): Promise<T> {
  for (let i = 0; i < maxTries; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met after ${maxTries} tries${describe === undefined ? '' : `; last seen: ${await describe()}`}`);
}

/** Runs `ffmpeg -i file` and returns its report (stderr). */
export function ffmpegReport(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegInstaller.path, ['-nostdin', '-hide_banner', '-i', path], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}

/** The key and a tiny submit body for API-surface tests (rendering off: not about ffmpeg). */
export const API_KEY = 'k-secret';
export const TINY_SUBMIT = JSON.stringify({ image: Buffer.from('img').toString('base64'), audio: Buffer.from('aud').toString('base64') });

/** The same options for the preview server and the fake built on it, so their tests compare alike. */
export const API_TEST_OPTIONS = { apiKey: API_KEY, render: false, queueMs: 10, renderMs: () => 30, maxBodyBytes: 4096 } as const;

/** Submits the tiny body; expects 200 and returns the task id. */
export async function submitOk(baseUrl: string): Promise<string> {
  const res = await call(baseUrl + SUBMIT_PATH, { body: TINY_SUBMIT, key: API_KEY });
  if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${res.text}`);
  return (JSON.parse(res.text) as { data: { task_id: string } }).data.task_id;
}

/** A task's status `data`; expects 200. */
export async function statusData(baseUrl: string, taskId: string): Promise<Record<string, unknown>> {
  const res = await call(baseUrl + statusPath(taskId), { key: API_KEY });
  if (res.status !== 200) throw new Error(`status answered ${res.status}: ${res.text}`);
  return (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
}

/** A problem+json body. */
export function problem(text: string): {
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ location: string; message: string }>;
} {
  return JSON.parse(text) as ReturnType<typeof problem>;
}
