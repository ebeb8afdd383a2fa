// A real process: after a get, a put and server.close(), it exits by itself (nothing left open;
// dallying is short-lived). Runs the built package (dist/, made by `tsc -b`, which `pnpm test` runs first).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryHandler } from '../../src/index.js';
import { serve } from './helpers.js';

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

  it('a client dallying after its final ACK does not keep its process alive', async () => {
    // The server runs here; the child only downloads, with a 60 s dally. It must exit by itself
    // long before that (and before the 20 s kill below): the dallying channel is unref'd.
    const served = await serve({ handler: createMemoryHandler(new Map([['d.bin', new Uint8Array(3000).fill(1)]])) });
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { tftpGetBytes } = await import(process.argv[1]);
         const got = await tftpGetBytes(process.argv[2], 'd.bin', { dallyMs: 60000 });
         console.log('got', got.length);`,
        dist,
        served.address,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    await served.server.close({ force: true });
    expect(out).toContain('got 3000');
    expect(signal, out).toBeNull();
    expect(code, out).toBe(0);
  }, 30_000);
});
