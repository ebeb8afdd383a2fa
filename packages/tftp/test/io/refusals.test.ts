// What the server refuses, and how the client reports it (TftpTransferError with the TFTP code).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTftpTransferError, TftpTransferError, tftpGetBytes, tftpPut } from '../../src/index.js';
import { pattern, type Served, serve, tempDir, tempFilesIn, writeFiles } from './helpers.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(options: Parameters<typeof serve>[0] extends infer O ? Omit<O & object, 'root'> : never = {}) {
  const root = await tempDir();
  const outside = await tempDir();
  await writeFiles(root.dir, { 'a.bin': pattern(3000, 1), 'exists.bin': 'old' });
  await writeFiles(outside.dir, { 'secret.txt': 'secret' });
  const served: Served = await serve({ root: root.dir, ...options });
  cleanups.push(async () => {
    await served.server.close();
    await root.cleanup();
    await outside.cleanup();
  });
  return { root: root.dir, outside: outside.dir, served };
}

async function failure(p: Promise<unknown>): Promise<TftpTransferError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isTftpTransferError(e)) throw new Error(`expected a TftpTransferError, got ${String(e)}`);
  return e;
}

describe('refusals', () => {
  it('file not found: error 1 with the server message', async () => {
    const { served } = await setup();
    const ended = served.nextEnd();
    const e = await failure(tftpGetBytes(served.address, 'nope.bin', { blksize: 1468 }));
    expect(e).toBeInstanceOf(TftpTransferError);
    expect(e.code).toBe('peer-error');
    expect(e.tftpCode).toBe(1);
    expect(e.message).toBe('error 1 (file not found): File not found.');
    expect(e.peerMessage).toBe('File not found.');
    // A definite answer: no plain retry.
    const end = await ended;
    expect(end.ok).toBe(false);
    expect(end.error?.tftpCode).toBe(1);
    expect(served.ends.length).toBe(1);
  });

  it('path traversal is refused and nothing outside the root is served', async () => {
    const { served, outside } = await setup();
    const rel = `../${outside.split('/').pop()}/secret.txt`;
    for (const name of [rel, `/../../${outside}/secret.txt`, '..\\..\\etc\\passwd', `${outside}/secret.txt`]) {
      const e = await failure(tftpGetBytes(served.address, name));
      expect([1, 2], name).toContain(e.tftpCode);
    }
  });

  it('writes on a read-only server: error 2', async () => {
    const { served } = await setup();
    const e = await failure(tftpPut(served.address, 'new.bin', pattern(100)));
    expect(e.tftpCode).toBe(2);
  });

  it('create without allowCreate: error 2; overwrite without allowOverwrite: error 6', async () => {
    const { served, root } = await setup({ allowWrite: true, allowCreate: false });
    expect((await failure(tftpPut(served.address, 'new.bin', pattern(100)))).tftpCode).toBe(2);
    const served2 = (await setup({ allowWrite: true, allowCreate: true })).served;
    const e = await failure(tftpPut(served2.address, 'exists.bin', pattern(100)));
    expect(e.tftpCode).toBe(6);
    expect(e.message).toMatch(/^error 6 \(file already exists\)/);
    expect(await readFile(join(root, 'exists.bin'), 'utf8')).toBe('old');
  });

  it('overwrite with allowOverwrite replaces the file', async () => {
    const { served, root } = await setup({ allowWrite: true, allowOverwrite: true });
    await tftpPut(served.address, 'exists.bin', pattern(1000, 9));
    expect(Buffer.compare(await readFile(join(root, 'exists.bin')), Buffer.from(pattern(1000, 9)))).toBe(0);
  });

  it('too large, told up front by tsize: error 3 before any file is created', async () => {
    const { served, root } = await setup({ allowWrite: true, allowCreate: true, maxFileSize: 10_000 });
    const e = await failure(tftpPut(served.address, 'big.bin', pattern(20_000)));
    expect(e.tftpCode).toBe(3);
    expect(await tempFilesIn(root)).toEqual([]);
    await expect(readFile(join(root, 'big.bin'))).rejects.toThrow();
  });

  it('too large, found during the transfer (no tsize): error 3, no leftover temp file', async () => {
    const { served, root } = await setup({ allowWrite: true, allowCreate: true, maxFileSize: 10_000 });
    for (const options of [{ tsize: false }, { options: false }, { tsize: false, blksize: 1468, windowsize: 8 }]) {
      const ended = served.nextEnd();
      const e = await failure(tftpPut(served.address, 'big.bin', pattern(50_000), options));
      expect(e.tftpCode).toBe(3);
      expect(e.code).toBe('peer-error');
      const end = await ended; // the server has cleaned up by then
      expect(end.error?.code).toBe('too-large');
    }
    expect(await tempFilesIn(root)).toEqual([]);
    await expect(readFile(join(root, 'big.bin'))).rejects.toThrow();
    // Exactly at the limit is fine.
    await tftpPut(served.address, 'edge.bin', pattern(10_000), { tsize: false });
    expect((await readFile(join(root, 'edge.bin'))).length).toBe(10_000);
  });

  it('a client maxSize refuses a large download (ERROR 3 to the server)', async () => {
    const { served } = await setup();
    const ended = served.nextEnd();
    const e = await failure(tftpGetBytes(served.address, 'a.bin', { maxSize: 1000 }));
    expect(e.code).toBe('too-large');
    const end = await ended;
    expect(end.error?.tftpCode).toBe(3);
  });

  it('refuseOptions as a list: only those options are never acknowledged', async () => {
    const { served } = await setup({ refuseOptions: ['blksize'] });
    const ended = served.nextEnd();
    const got = await tftpGetBytes(served.address, 'a.bin', { blksize: 1468, windowsize: 4 });
    expect(got.length).toBe(3000);
    const end = await ended;
    expect(end.oack).toEqual([
      ['windowsize', '4'],
      ['tsize', '3000'],
    ]);
    expect(end.stats.params.blksize).toBe(512);
  });

  it('refuseOptions: true makes the server plain RFC 1350 (the client still gets the file)', async () => {
    const { served } = await setup({ refuseOptions: true });
    const got = await tftpGetBytes(served.address, 'a.bin', { blksize: 1468, windowsize: 8 });
    expect(got.length).toBe(3000);
    expect(served.ends.at(-1)?.oack ?? undefined).toBeUndefined();
  });
});
