// The demo's steps, run in-process against the packages' sources, each verified; and the built
// demo run as a child process, as a newcomer runs it (`pnpm demo`).

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPeer } from '@udpkit/peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSteps } from '../src/steps/index.js';
import { runCleanup, type StepContext } from '../src/steps/step.js';

let ctx: StepContext;
beforeAll(async () => {
  ctx = { tmp: await mkdtemp(join(tmpdir(), 'udpkit-demo-test-')), signal: AbortSignal.timeout(120_000), cleanup: [] };
});
afterAll(async () => {
  await runCleanup(ctx);
  await rm(ctx.tmp, { recursive: true, force: true });
});

describe('demo steps, in-process', () => {
  for (const step of allSteps()) {
    it(step.name, async () => {
      const outcome = await step.run(ctx);
      expect(outcome.note).toBeTypeOf('string');
      expect(outcome, outcome.note).toMatchObject({ ok: true });
      if (outcome.sha256 !== undefined) expect(outcome.sha256).toBe(true);
    });
  }
});

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe.skipIf(!existsSync(main))('the built demo (node apps/demo/dist/main.js)', () => {
  it('exits 0 by itself and prints a table of verified steps', async () => {
    const { code, stdout, stderr } = await runPeer(process.execPath, [main], { timeoutMs: 60_000 });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const lines = stdout.split('\n');
    const header = lines.findIndex((l) => /^step\s+size\s+sha256\s+time\s+throughput\s+result/.test(l));
    expect(header, stdout).toBeGreaterThanOrEqual(0);
    const rows = lines.slice(header + 2).filter((l) => /\s(ok|FAILED)\s/.test(l));
    expect(rows.length).toBe(allSteps().length);
    expect(stdout).not.toMatch(/FAILED|MISMATCH/);
    expect(stdout).toMatch(/all \d+ steps verified/);
  }, 70_000);
});
