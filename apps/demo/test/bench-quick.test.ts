// `pnpm bench --quick` is CI's smoke test of the benchmarks: the built runner as a child process
// (skipped when apps/demo is not built — `pnpm test` builds first). It must exit 0 — which it does
// only if every section ran and every transfer was byte-identical — and print the report.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requirePeer, runPeer } from '@udpkit/peers';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('../dist/bench/main.js', import.meta.url));
const peers = (['tftp-hpa', 'atftp', 'in.tftpd', 'atftpd'] as const).every((p) => requirePeer(p));

describe.skipIf(!existsSync(bench) || !peers)('pnpm bench --quick (node apps/demo/dist/bench/main.js --quick)', () => {
  it('runs every section, verifies every transfer and prints the report', { timeout: 180_000 }, async () => {
    const { code, stdout, stderr } = await runPeer(process.execPath, [bench, '--quick'], { timeoutMs: 170_000 });
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(stdout).toMatch(/^# udpkit benchmarks/);
    expect(stdout).toMatch(/## @udpkit\/tftp/);
    expect(stdout).not.toMatch(/FAILED|not available/);
  });
});
