// `pnpm demo`: the whole udpkit stack, end to end, each step verified. Exits 0 only when every
// step verified; closes every socket, file and timer so the process ends by itself.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSteps } from './steps/index.js';
import { runCleanup, runSteps, type StepContext, type StepResult } from './steps/step.js';
import { formatBytes, formatMs, formatRate, renderTable } from './table.js';

/** The whole demo must finish well inside a minute; a hung step fails it instead of hanging. */
const DEADLINE_MS = 50_000;

export function resultTable(results: readonly StepResult[]): string {
  return renderTable(
    ['step', 'size', 'sha256', 'time', 'throughput', 'result', 'what it showed'],
    results.map((r) => [
      r.name,
      formatBytes(r.bytes),
      r.sha256 === undefined ? '' : r.sha256 ? 'match' : 'MISMATCH',
      formatMs(r.ms),
      formatRate(r.bytes, r.ms),
      r.ok ? 'ok' : 'FAILED',
      r.note,
    ]),
    ['left', 'right', 'left', 'right', 'right', 'left', 'left'],
  );
}

async function main(): Promise<number> {
  const tmp = await mkdtemp(join(tmpdir(), 'udpkit-demo-'));
  const deadline = AbortSignal.timeout(DEADLINE_MS);
  const started = performance.now();
  const verbose = process.argv.includes('--verbose');
  const ctx: StepContext = { tmp, signal: deadline, cleanup: [] };
  try {
    console.log(`udpkit demo — node ${process.version}, temp folder ${tmp}\n`);
    // `--only=tftp` runs the steps whose name starts with that text.
    const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    const steps = allSteps().filter((s) => !only || s.name.startsWith(only));
    const results = await runSteps(steps, ctx, (r) => {
      if (verbose || !r.ok) console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.name}: ${r.note}`);
    });
    console.log(resultTable(results));
    const failed = results.filter((r) => !r.ok);
    const total = formatMs(performance.now() - started);
    if (failed.length === 0) {
      console.log(`\nall ${results.length} steps verified in ${total}`);
      return 0;
    }
    console.log(
      `\n${failed.length} of ${results.length} steps FAILED (${total}): ${failed.map((r) => r.name).join(', ')}`,
    );
    return 1;
  } finally {
    await runCleanup(ctx);
    await rm(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error) => {
  console.error('udpkit demo crashed:', error);
  return 1;
});
