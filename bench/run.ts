/**
 * `npm run bench [-- --only 3[,4]] [-- --report-only]`: runs the figures, each in a fresh child
 * process, prints them and writes BENCHMARKS.md. Results are also kept in
 * bench/results/figure-<n>.json so `--only` refreshes one figure and the file still shows the
 * others (with their own dates), and `--report-only` re-renders the page (e.g. after editing
 * bench/analysis.md) without measuring anything.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FIGURES } from './figures/index.js';
import { machineInfo } from './lib/machine.js';
import { figureMarkdown, reportMarkdown } from './lib/report.js';
import type { FigureResult } from './lib/result.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const analysisPath = fileURLToPath(new URL('./analysis.md', import.meta.url));
/** A figure that runs longer than this is stopped (the whole run must stay near 10 minutes). */
const FIGURE_TIMEOUT_MS = 6 * 60_000;

interface Stored extends FigureResult {
  measuredAt: string;
  /** The command that measured it, and the machine's load when it started (older files lack them). */
  command?: string;
  loadAverage?: number;
}

/** Parses `--only 1,3` / `--only=3` (repeatable); default: every figure. */
export function parseOnly(argv: readonly string[]): number[] {
  const ids: number[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    const value = a === '--only' ? argv[++i] : a.startsWith('--only=') ? a.slice(7) : undefined;
    if (value === undefined) continue;
    for (const part of value.split(',')) {
      const n = Number(part.trim());
      if (!Number.isInteger(n) || FIGURES[n] === undefined) throw new Error(`--only: no figure ${part}`);
      ids.push(n);
    }
  }
  return ids.length > 0 ? [...new Set(ids)].sort((a, b) => a - b) : Object.keys(FIGURES).map(Number);
}

function runFigure(id: number, command: string): Promise<Stored> {
  const loadAverage = machineInfo().loadAverage;
  const out = `${resultsDir}figure-${id}.json`;
  const tmp = `${out}.partial`;
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL('./figure-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', script, String(id), tmp], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), FIGURE_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(signal !== null ? `stopped by ${signal}` : `exit code ${code}`));
        return;
      }
      const result = JSON.parse(readFileSync(tmp, 'utf8')) as FigureResult;
      const stored: Stored = { ...result, measuredAt: new Date().toISOString(), command, loadAverage };
      writeFileSync(out, JSON.stringify(stored, null, 2));
      resolve(stored);
    });
  });
}

function loadStored(id: number): Stored | null {
  const path = `${resultsDir}figure-${id}.json`;
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Stored;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const reportOnly = argv.includes('--report-only');
  const only = reportOnly ? [] : parseOnly(argv);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  mkdirSync(resultsDir, { recursive: true });
  const t0 = Date.now();
  const machine = machineInfo();
  const failures: Array<{ id: number; error: string }> = [];
  for (const id of only) {
    process.stderr.write(`\n=== figure ${id}: ${FIGURES[id]?.name ?? ''} ===\n`);
    try {
      const r = await runFigure(id, command);
      process.stdout.write(`\n${figureMarkdown(r)}\n`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      failures.push({ id, error });
      process.stderr.write(`figure ${id} failed: ${error}\n`);
    }
  }
  const figures: FigureResult[] = [];
  for (const id of Object.keys(FIGURES).map(Number)) {
    const s = loadStored(id);
    if (s === null) continue;
    const by = s.command === undefined ? '' : ` by \`${s.command}\``;
    const load = s.loadAverage === undefined ? '' : `, load average ${s.loadAverage} when it started`;
    const when = `Measured ${s.measuredAt}${by}${load}${only.includes(id) ? '' : ' (not re-run by this command)'}.`;
    figures.push({ ...s, notes: [...s.notes, when] });
  }
  // The header of the last measuring run is kept, so a re-render does not lose it.
  const runPath = `${resultsDir}run.json`;
  interface RunInfo {
    command: string;
    date: string;
    totalSeconds: number;
    loadAverage: number;
  }
  let header: RunInfo = {
    command,
    date: new Date().toISOString(),
    totalSeconds: (Date.now() - t0) / 1000,
    loadAverage: machine.loadAverage,
  };
  if (reportOnly && existsSync(runPath)) header = JSON.parse(readFileSync(runPath, 'utf8')) as RunInfo;
  else if (!reportOnly) writeFileSync(runPath, JSON.stringify(header, null, 2));
  const markdown = reportMarkdown({
    command: reportOnly ? `${header.command} (page re-rendered by --report-only; each figure says when it was measured)` : command,
    machine: { ...machine, loadAverage: header.loadAverage },
    date: header.date,
    totalSeconds: header.totalSeconds,
    figures,
    failures,
    analysis: existsSync(analysisPath) ? readFileSync(analysisPath, 'utf8') : '',
  });
  writeFileSync(`${root}BENCHMARKS.md`, markdown);
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  process.stderr.write(`\nwrote BENCHMARKS.md (${figures.length} figures, ${failures.length} failed) in ${seconds} s\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
