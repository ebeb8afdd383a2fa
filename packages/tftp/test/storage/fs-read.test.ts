import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsHandler, isTftpError, type TftpError } from '../../src/index.js';
import { bytes, collect, fdCount, readReq, tempDir, text } from './helpers.js';

let base: string;
let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  root = join(base, 'tftp');
  await mkdir(join(root, 'boot'), { recursive: true });
  await writeFile(join(root, 'hello.txt'), 'hello');
  await writeFile(join(root, 'boot', 'kernel'), 'KERNEL');
  // Siblings outside the root, one of them a prefix sibling (tftpy's bug).
  await mkdir(join(base, 'tftp-private'));
  await writeFile(join(base, 'tftp-private', 'secret'), 'SECRET');
  await writeFile(join(base, 'outside.txt'), 'OUTSIDE');
});
afterEach(() => cleanup());

async function readErr(handler: ReturnType<typeof createFsHandler>, name: string): Promise<TftpError> {
  try {
    const source = await handler.openRead(readReq(name));
    await source.close();
  } catch (error) {
    if (isTftpError(error)) return error;
    throw error;
  }
  throw new Error(`read of ${JSON.stringify(name)} was not refused`);
}

describe('createFsHandler reads', () => {
  it('reads a file with its size from fstat', async () => {
    const h = createFsHandler({ root });
    const source = await h.openRead(readReq('hello.txt'));
    expect(source.size).toBe(5);
    expect(text(await collect(source))).toBe('hello');
  });

  it('reads nested files, absolute names (relative to root) and backslash names', async () => {
    const h = createFsHandler({ root });
    expect(text(await collect(await h.openRead(readReq('boot/kernel'))))).toBe('KERNEL');
    expect(text(await collect(await h.openRead(readReq('/boot/kernel'))))).toBe('KERNEL');
    expect(text(await collect(await h.openRead(readReq('boot\\kernel'))))).toBe('KERNEL');
    expect(text(await collect(await h.openRead(readReq('\\boot\\kernel'))))).toBe('KERNEL');
  });

  it('refuses absolute names when configured to', async () => {
    const h = createFsHandler({ root, filenames: { absolute: 'refuse' } });
    expect((await readErr(h, '/boot/kernel')).errorCode).toBe(2);
  });

  it('streams a large file in chunks, pulled on demand', async () => {
    const data = new Uint8Array(300_000).map((_, i) => i & 0xff);
    await writeFile(join(root, 'big.bin'), data);
    const h = createFsHandler({ root, readChunkSize: 65536 });
    const source = await h.openRead(readReq('big.bin'));
    expect(source.size).toBe(300_000);
    const sizes: number[] = [];
    const parts: Uint8Array[] = [];
    for await (const chunk of source) {
      sizes.push(chunk.length);
      parts.push(chunk);
    }
    expect(sizes).toEqual([65536, 65536, 65536, 65536, 37856]);
    expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
  });

  it('reads an empty file', async () => {
    await writeFile(join(root, 'empty'), '');
    const source = await createFsHandler({ root }).openRead(readReq('empty'));
    expect(source.size).toBe(0);
    expect((await collect(source)).length).toBe(0);
  });

  it('answers ERROR 1 for a missing file', async () => {
    const e = await readErr(createFsHandler({ root }), 'nope');
    expect(e.errorCode).toBe(1);
    expect(e.code).toBe('ERR_TFTP_FILE_NOT_FOUND');
    expect(e.message).not.toContain(root); // no local paths on the wire
  });

  it.each([
    '..',
    '../outside.txt',
    '/../outside.txt',
    'boot/../../outside.txt',
    'boot/../hello.txt',
    '..\\outside.txt',
    'boot\\..\\..\\outside.txt',
    '../tftp-private/secret',
    '../tftp/../tftp-private/secret',
  ])('refuses the traversal %j with ERROR 2', async (name) => {
    const e = await readErr(createFsHandler({ root }), name);
    expect(e.errorCode).toBe(2);
  });

  it('does not decode %2e%2e (a literal, missing name)', async () => {
    expect((await readErr(createFsHandler({ root }), '%2e%2e/outside.txt')).errorCode).toBe(1);
  });

  it.each(['hello.txt\0../../outside.txt', 'hello\n.txt', '\x1b[2J', ''])('refuses %j with ERROR 2', async (name) => {
    expect((await readErr(createFsHandler({ root }), name)).errorCode).toBe(2);
  });

  it('refuses symlinks leading out of the root (file, directory, prefix sibling)', async () => {
    await symlink(join(base, 'outside.txt'), join(root, 'link-file'));
    await symlink(base, join(root, 'link-dir'));
    await symlink(join(base, 'tftp-private'), join(root, 'link-sibling'));
    await symlink('../outside.txt', join(root, 'link-relative'));
    const h = createFsHandler({ root });
    expect((await readErr(h, 'link-file')).errorCode).toBe(2);
    expect((await readErr(h, 'link-dir/outside.txt')).errorCode).toBe(2);
    expect((await readErr(h, 'link-sibling/secret')).errorCode).toBe(2);
    expect((await readErr(h, 'link-relative')).errorCode).toBe(2);
  });

  it('follows symlinks that stay inside the root, unless followSymlinks is false', async () => {
    await symlink('hello.txt', join(root, 'alias'));
    await symlink('boot', join(root, 'b'));
    const h = createFsHandler({ root });
    expect(text(await collect(await h.openRead(readReq('alias'))))).toBe('hello');
    expect(text(await collect(await h.openRead(readReq('b/kernel'))))).toBe('KERNEL');
    const strict = createFsHandler({ root, followSymlinks: false });
    expect((await readErr(strict, 'alias')).errorCode).toBe(2);
    expect((await readErr(strict, 'b/kernel')).errorCode).toBe(2);
    expect(text(await collect(await strict.openRead(readReq('hello.txt'))))).toBe('hello');
  });

  it('works when the root itself is reached through a symlink', async () => {
    await symlink(root, join(base, 'root-link'));
    const h = createFsHandler({ root: join(base, 'root-link') });
    expect(text(await collect(await h.openRead(readReq('hello.txt'))))).toBe('hello');
    expect((await readErr(h, '../tftp-private/secret')).errorCode).toBe(2);
  });

  it('refuses directories with ERROR 2', async () => {
    const h = createFsHandler({ root });
    expect((await readErr(h, 'boot')).errorCode).toBe(2);
    expect((await readErr(h, 'boot/')).errorCode).toBe(2);
    expect((await readErr(h, '/')).errorCode).toBe(2); // empty name
  });

  it('refuses a FIFO without blocking on it', async () => {
    execFileSync('mkfifo', [join(root, 'fifo')]);
    const e = await readErr(createFsHandler({ root }), 'fifo');
    expect(e.errorCode).toBe(2);
    expect(e.message).toBe('not a regular file');
  });

  it('refuses a device through a symlink (outside the root)', async () => {
    await symlink('/dev/zero', join(root, 'zero'));
    expect((await readErr(createFsHandler({ root }), 'zero')).errorCode).toBe(2);
  });

  it('does not serve its own upload temp files', async () => {
    await writeFile(join(root, '.tftp-upload-0123456789abcdef.part'), 'partial');
    expect((await readErr(createFsHandler({ root }), '.tftp-upload-0123456789abcdef.part')).errorCode).toBe(1);
  });

  it('answers ERROR 0 when the root is missing', async () => {
    const e = await readErr(createFsHandler({ root: join(base, 'missing') }), 'x');
    expect(e.errorCode).toBe(0);
    expect(e.message).toBe('server root unavailable');
  });

  it('fails with ERROR 0 if the file shrinks while it is read', async () => {
    await writeFile(join(root, 'shrinks'), 'abcdefghij');
    const source = await createFsHandler({ root }).openRead(readReq('shrinks'));
    await writeFile(join(root, 'shrinks'), 'abc');
    await expect(collect(source)).rejects.toMatchObject({ errorCode: 0, message: 'file changed during transfer' });
  });

  describe('closes its descriptor', () => {
    const leakCheck = async (run: () => Promise<void>) => {
      const before = await fdCount();
      for (let i = 0; i < 20; i++) await run();
      const after = await fdCount();
      if (before !== undefined) expect(after).toBe(before);
    };

    it('after a full read', async () => {
      const h = createFsHandler({ root });
      await leakCheck(async () => {
        await collect(await h.openRead(readReq('hello.txt')));
      });
    });

    it('when the consumer stops early', async () => {
      await writeFile(join(root, 'big'), new Uint8Array(200_000));
      const h = createFsHandler({ root, readChunkSize: 1000 });
      await leakCheck(async () => {
        for await (const _ of await h.openRead(readReq('big'))) break;
      });
    });

    it('when never iterated, on close()', async () => {
      const h = createFsHandler({ root });
      await leakCheck(async () => {
        const s = await h.openRead(readReq('hello.txt'));
        await s.close();
        await s.close(); // idempotent
      });
    });

    it('when never iterated, on await using', async () => {
      const h = createFsHandler({ root });
      await leakCheck(async () => {
        const s = await h.openRead(readReq('hello.txt'));
        await s[Symbol.asyncDispose]();
      });
    });

    it('when the request signal aborts', async () => {
      const h = createFsHandler({ root });
      await leakCheck(async () => {
        const ac = new AbortController();
        await h.openRead(readReq('hello.txt', { signal: ac.signal }));
        ac.abort();
        await new Promise((r) => setTimeout(r, 5));
      });
    });

    it('when the file is refused after opening (directory, FIFO)', async () => {
      execFileSync('mkfifo', [join(root, 'fifo')]);
      const h = createFsHandler({ root });
      await leakCheck(async () => {
        await readErr(h, 'boot');
        await readErr(h, 'fifo');
      });
    });
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(createFsHandler({ root }).openRead(readReq('hello.txt', { signal: ac.signal }))).rejects.toThrow(
      'stop',
    );
  });

  it('validates its options', () => {
    expect(() => createFsHandler({ root: '' })).toThrow(TypeError);
    expect(() => createFsHandler({ root, maxFileSize: -1 })).toThrow(RangeError);
    expect(() => createFsHandler({ root, readChunkSize: 0 })).toThrow(RangeError);
  });

  it('reads bytes as they are (no conversion in netascii mode; the io layer converts)', async () => {
    await writeFile(join(root, 'crlf'), 'a\nb');
    const s = await createFsHandler({ root }).openRead(readReq('crlf', { mode: 'netascii' }));
    expect(await collect(s)).toEqual(bytes('a\nb'));
  });
});
