/**
 * bench:start — a second `npm start` (nothing changed since the last build) until its "serving" line, median of RUNS
 * (default 5), bar ≤ 3 s; baseline in the same run: the first start of a fresh copy (server and dashboard built).
 * Runs in a scratch copy of the project (test/helpers/start-copy), embedded database in a temporary folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyProject, npmStart } from '../test/helpers/start-copy';
import { percentile, runBench } from './harness';

const RUNS = Number(process.env.RUNS ?? 5);

runBench(async () => {
  const copy = copyProject();
  try {
    const data = fs.mkdtempSync(path.join(copy, 'data-'));
    const first = await npmStart(copy, data);
    if (!first.served || !first.output.includes('[start] building server')) throw new Error(`first start did not build and serve:\n${first.output}`);
    const seconds: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await npmStart(copy, data);
      if (!run.served || !run.output.includes('[start] build up to date')) throw new Error(`second start rebuilt or did not serve:\n${run.output}`);
      seconds.push(run.ms);
    }
    const median = percentile(seconds, 50);
    console.log(`first start (build + serve): ${(first.ms / 1000).toFixed(2)} s`);
    console.log(`second start, ${RUNS} runs: ${seconds.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`);
    console.log(
      `median ${(median / 1000).toFixed(2)} s (bar ≤ 3 s: ${median <= 3000 ? 'met' : 'NOT met'}); ${(first.ms / median).toFixed(1)}× faster than the first start`,
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
