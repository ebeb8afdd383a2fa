// A real process: after a get, a put and server.close(), it exits by itself (nothing left open;
// dallying is short-lived). Runs the built package (dist/, made by `tsc -b`, which `pnpm test` runs first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const script = `
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const { createTftpServer, tftpGetBytes, tftpPut } = await import(process.argv[1]);
const root = mkdtempSync(join(tmpdir(), 'udpkit-tftp-exit-'));
writeFileSync(join(root, 'a.bin'), new Uint8Array(100000).fill(7));
const server = createTftpServer({ root, host: '127.0.0.1', port: 0, allowWrite: true, allowCreate: true });
const ep = await server.listen();
const got = await tftpGetBytes(ep, 'a.bin', { blksize: 1468 });
await tftpPut(ep, 'b.bin', got);
await server.close();
rmSync(root, { recursive: true, force: true });
console.log('done', got.length);
globalThis.doneAt = Date.now();
process.on('exit', () => console.log('exit-after-ms', Date.now() - globalThis.doneAt));
`;

describe.skipIf(!existsSync(dist))('process lifetime', () => {
  it('exits on its own soon after the last transfer and close()', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dist], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(killer);
    expect(out).toContain('done 100000');
    expect(code, out).toBe(0);
    const after = Number(/exit-after-ms (\d+)/.exec(out)?.[1]);
    // The client's dally after the final ACK (≤ about 1 s here) is the only thing left to wait for.
    expect(after).toBeLessThan(3000);
  }, 20_000);
});
