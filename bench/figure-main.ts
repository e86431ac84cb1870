/**
 * Runs one figure in this (fresh) process and writes its result as JSON to the path given:
 * `node --import tsx bench/figure-main.ts <id> <out.json>`. A fresh process per figure keeps
 * RSS, event-loop and CPU figures from counting another figure's leftovers.
 */
import { writeFileSync } from 'node:fs';
import { FIGURES } from './figures/index.js';

const id = Number(process.argv[2]);
const out = process.argv[3];
const figure = FIGURES[id];
if (figure === undefined || out === undefined) {
  process.stderr.write('usage: figure-main.ts <1-5> <out.json>\n');
  process.exit(2);
}
const run = await figure.load();
const result = await run();
writeFileSync(out, JSON.stringify(result));
// Libraries may keep sockets or timers alive after their stop(); the result is written.
process.exit(0);
