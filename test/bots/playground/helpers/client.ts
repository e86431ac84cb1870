/** A tiny browser-like HTTP client for the playground tests: one cookie jar, JSON helpers, SSE. */
import { request, type ClientRequest } from 'node:http';

/** One "browser": keeps the cookies the server sets. */
export class Browser {
  private readonly jar = new Map<string, string>();

  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', this.cookieHeader());
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  async json(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; res: Response }> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, res };
  }

  /** Opens the SSE stream with this browser's cookies. */
  events(): EventStream {
    return new EventStream(`${this.base}/api/jobs/events`, this.cookieHeader());
  }
}

/** A parsed server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Reads an SSE stream with node:http, collecting events. */
export class EventStream {
  readonly events: SseEvent[] = [];
  status = 0;
  private buffer = '';
  private req: ClientRequest | undefined;
  readonly opened: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(url: string, cookie: string) {
    this.opened = new Promise((resolve, reject) => {
      this.req = request(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('error', () => undefined);
        resolve();
      });
      this.req.on('error', reject);
      this.req.end();
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let idx: number;
    while ((idx = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, idx);
      this.buffer = this.buffer.slice(idx + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits (bounded) until `predicate` holds over the events so far. */
  async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SSE condition not met; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

/** A multipart form with named files. */
export function form(files: Record<string, { data: Uint8Array; name: string; type: string }>): FormData {
  const fd = new FormData();
  for (const [field, f] of Object.entries(files)) fd.append(field, new Blob([f.data], { type: f.type }), f.name);
  return fd;
}
