// More than 65535 blocks of 512 bytes: block numbers wrap 65535 → 0 (tftp.md "Block-number rollover").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tftpGetBytes, tftpPut } from '../../src/index.js';
import { pattern, type Served, serve, sha256, tempDir, writeFiles } from './helpers.js';

// 65536 × 512 = 32 MiB; go past it with a partial last block.
const SIZE = 65536 * 512 + 70_000 + 123;

describe('block-number rollover at blksize 512', () => {
  let served: Served;
  let root: Awaited<ReturnType<typeof tempDir>>;
  const data = pattern(SIZE, 42);
  const digest = sha256(data);

  beforeAll(async () => {
    root = await tempDir();
    await writeFiles(root.dir, { 'big.bin': data });
    served = await serve({ root: root.dir, allowWrite: true, allowCreate: true });
  });
  afterAll(async () => {
    await served.server.close();
    await root.cleanup();
  });

  it('downloads a file > 32 MiB (windowed to keep it quick) byte-identical', async () => {
    const ended = served.nextEnd();
    const got = await tftpGetBytes(served.address, 'big.bin', { windowsize: 32 });
    expect(got.length).toBe(SIZE);
    expect(sha256(got)).toBe(digest);
    const end = await ended;
    expect(end.stats.blocks).toBe(Math.floor(SIZE / 512) + 1);
    expect(end.stats.params.blksize).toBe(512);
  }, 120_000);

  it('uploads a file > 32 MiB byte-identical', async () => {
    const stats = await tftpPut(served.address, 'up.bin', data, { windowsize: 32 });
    expect(stats.blocks).toBe(Math.floor(SIZE / 512) + 1);
    expect(sha256(await readFile(join(root.dir, 'up.bin')))).toBe(digest);
  }, 120_000);
});
