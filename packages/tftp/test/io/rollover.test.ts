// More than 65535 blocks of 512 bytes: block numbers wrap 65535 → 0 (tftp.md "Block-number rollover").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTftpServer, tftpGetBytes, tftpPut } from '../../src/index.js';
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

describe('rolloverBase: wrapping to 1 when no rollover option is negotiated', () => {
  let served: Served;
  let root: Awaited<ReturnType<typeof tempDir>>;
  // 8-byte blocks: past block 65535 with half a megabyte.
  const data = pattern(65536 * 8 + 5000 + 3, 43);

  beforeAll(async () => {
    root = await tempDir();
    await writeFiles(root.dir, { 'small-blocks.bin': data });
    served = await serve({ root: root.dir, rolloverBase: 1, allowWrite: true, allowCreate: true });
  });
  afterAll(async () => {
    await served.server.close();
    await root.cleanup();
  });

  it('server and client both wrapping to 1 move a file across the wrap, byte-identical, both ways', async () => {
    const ended = served.nextEnd();
    const got = await tftpGetBytes(served.address, 'small-blocks.bin', { blksize: 8, windowsize: 16, rolloverBase: 1 });
    expect(sha256(got)).toBe(sha256(data));
    const end = await ended;
    expect(end.stats.blocks).toBeGreaterThan(65535);
    expect(end.stats.params.rolloverBase).toBe(1);
    const put = await tftpPut(served.address, 'up-small.bin', data, { blksize: 8, windowsize: 16, rolloverBase: 1 });
    expect(put.params.rolloverBase).toBe(1);
    expect(sha256(await readFile(join(root.dir, 'up-small.bin')))).toBe(sha256(data));
  }, 60_000);

  it('a negotiated rollover option wins over the server default', async () => {
    const ended = served.nextEnd();
    const got = await tftpGetBytes(served.address, 'small-blocks.bin', { blksize: 8, windowsize: 16, rollover: 0 });
    expect(sha256(got)).toBe(sha256(data));
    expect((await ended).stats.params.rolloverBase).toBe(0);
  }, 60_000);

  it('a rolloverBase other than 0 or 1 is a RangeError', async () => {
    expect(() => createTftpServer({ root: root.dir, rolloverBase: 2 as 1 })).toThrow(
      'createTftpServer: rolloverBase must be 0 or 1, got 2',
    );
    await expect(tftpGetBytes(served.address, 'x', { rolloverBase: -1 as 0 })).rejects.toThrow(RangeError);
  });
});
