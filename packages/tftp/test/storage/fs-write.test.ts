import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsHandler, type FsHandlerOptions, isTftpError, type TftpError } from '../../src/index.js';
import { bytes, fdCount, list, tempDir, writeReq } from './helpers.js';

let base: string;
let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  root = join(base, 'tftp');
  await mkdir(join(root, 'up'), { recursive: true });
  await writeFile(join(root, 'existing.txt'), 'old');
  await mkdir(join(base, 'tftp-private'));
});
afterEach(() => cleanup());

const all: FsHandlerOptions = { root: '', allowWrite: true, allowCreate: true, allowOverwrite: true };
const handler = (options: Partial<FsHandlerOptions> = {}) => createFsHandler({ ...all, root, ...options });

async function writeErr(h: ReturnType<typeof createFsHandler>, name: string, extra = {}): Promise<TftpError> {
  try {
    const sink = await h.openWrite(writeReq(name, extra));
    await sink.abort();
  } catch (error) {
    if (isTftpError(error)) return error;
    throw error;
  }
  throw new Error(`write of ${JSON.stringify(name)} was not refused`);
}

async function upload(h: ReturnType<typeof createFsHandler>, name: string, content: string | Uint8Array) {
  const sink = await h.openWrite(writeReq(name));
  await sink.write(typeof content === 'string' ? bytes(content) : content);
  await sink.commit();
}

describe('createFsHandler writes: opt-ins', () => {
  it('refuses all uploads by default (ERROR 2), and leaves nothing behind', async () => {
    const h = createFsHandler({ root });
    expect((await writeErr(h, 'new.txt')).errorCode).toBe(2);
    expect((await writeErr(h, 'existing.txt')).errorCode).toBe(2);
    expect(await list(root)).toEqual(['existing.txt', 'up']);
  });

  it('allowWrite alone allows neither creating (ERROR 2) nor overwriting (ERROR 6)', async () => {
    const h = createFsHandler({ root, allowWrite: true });
    const create = await writeErr(h, 'new.txt');
    expect(create.errorCode).toBe(2);
    expect(create.message).toBe('creating files is not allowed');
    const over = await writeErr(h, 'existing.txt');
    expect(over.errorCode).toBe(6);
    expect(over.code).toBe('ERR_TFTP_FILE_EXISTS');
  });

  it('allowCreate creates new files but does not overwrite', async () => {
    const h = createFsHandler({ root, allowWrite: true, allowCreate: true });
    await upload(h, 'new.txt', 'fresh');
    expect(await readFile(join(root, 'new.txt'), 'utf8')).toBe('fresh');
    expect((await writeErr(h, 'existing.txt')).errorCode).toBe(6);
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('old');
  });

  it('allowOverwrite replaces existing files but does not create', async () => {
    const h = createFsHandler({ root, allowWrite: true, allowOverwrite: true });
    await upload(h, 'existing.txt', 'new content');
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('new content');
    expect((await writeErr(h, 'new.txt')).errorCode).toBe(2);
  });

  it('create-only: a file created by someone else during the upload is not clobbered (ERROR 6)', async () => {
    const h = createFsHandler({ root, allowWrite: true, allowCreate: true });
    const sink = await h.openWrite(writeReq('race.txt'));
    await sink.write(bytes('mine'));
    await writeFile(join(root, 'race.txt'), 'theirs');
    await expect(sink.commit()).rejects.toMatchObject({ errorCode: 6 });
    expect(await readFile(join(root, 'race.txt'), 'utf8')).toBe('theirs');
    expect(await list(root)).toEqual(['existing.txt', 'race.txt', 'up']);
  });

  it('does not create folders (ERROR 1) and writes into existing ones', async () => {
    const h = handler();
    expect((await writeErr(h, 'nodir/x')).errorCode).toBe(1);
    await upload(h, 'up/x', 'x');
    expect(await readFile(join(root, 'up', 'x'), 'utf8')).toBe('x');
    await upload(h, '/up\\y', 'y'); // absolute and backslash forms land in the same place
    expect(await readFile(join(root, 'up', 'y'), 'utf8')).toBe('y');
  });

  it('refuses writing over a directory (ERROR 2)', async () => {
    expect((await writeErr(handler(), 'up')).errorCode).toBe(2);
  });
});

describe('createFsHandler writes: confinement', () => {
  it.each([
    '../evil',
    '../tftp-private/evil',
    'up/../../evil',
    '..\\evil',
    'up\\..\\..\\evil',
    'a\0b',
    'x\ny',
    '',
    '/',
  ])('refuses %j with ERROR 2', async (name) => {
    expect((await writeErr(handler(), name)).errorCode).toBe(2);
    expect(await list(base)).toEqual(['tftp', 'tftp-private']);
    expect(await list(join(base, 'tftp-private'))).toEqual([]);
  });

  it('refuses a parent folder that is a symlink out of the root (directory symlink, prefix sibling)', async () => {
    await symlink(join(base, 'tftp-private'), join(root, 'priv'));
    expect((await writeErr(handler(), 'priv/evil')).errorCode).toBe(2);
    expect(await list(join(base, 'tftp-private'))).toEqual([]);
  });

  it('refuses writing through a file symlink that leads out of the root', async () => {
    await writeFile(join(base, 'victim'), 'safe');
    await symlink(join(base, 'victim'), join(root, 'link'));
    expect((await writeErr(handler(), 'link')).errorCode).toBe(2);
    expect(await readFile(join(base, 'victim'), 'utf8')).toBe('safe');
  });

  it('refuses a dangling symlink (would create a file through it)', async () => {
    await symlink(join(base, 'tftp-private', 'planted'), join(root, 'dangling'));
    await symlink('nowhere', join(root, 'dangling-inside'));
    expect((await writeErr(handler(), 'dangling')).errorCode).toBe(2);
    expect((await writeErr(handler(), 'dangling-inside')).errorCode).toBe(2);
    expect(await list(join(base, 'tftp-private'))).toEqual([]);
  });

  it('an overwrite through a symlink inside the root replaces the link target, keeping the link', async () => {
    await symlink('existing.txt', join(root, 'alias'));
    await upload(handler(), 'alias', 'via link');
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('via link');
    expect((await lstat(join(root, 'alias'))).isSymbolicLink()).toBe(true);
  });

  it('with followSymlinks false, refuses any symlink on the way', async () => {
    await symlink('existing.txt', join(root, 'alias'));
    await symlink('up', join(root, 'updir'));
    const h = handler({ followSymlinks: false });
    expect((await writeErr(h, 'alias')).errorCode).toBe(2);
    expect((await writeErr(h, 'updir/x')).errorCode).toBe(2);
  });

  it('refuses writing to its own temp-file names (ERROR 1)', async () => {
    expect((await writeErr(handler(), '.tftp-upload-0123456789abcdef.part')).errorCode).toBe(1);
  });
});

describe('createFsHandler writes: temp file, commit, abort', () => {
  it('writes to a hidden temp file in the same folder and renames it on commit', async () => {
    const h = handler();
    const sink = await h.openWrite(writeReq('up/file.bin'));
    await sink.write(bytes('part 1, '));
    const during = await list(join(root, 'up'));
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.tftp-upload-[0-9a-f]{16}\.part$/);
    await sink.write(bytes('part 2'));
    await sink.commit();
    expect(await list(join(root, 'up'))).toEqual(['file.bin']);
    expect(await readFile(join(root, 'up', 'file.bin'), 'utf8')).toBe('part 1, part 2');
    await sink.abort(); // no-op after commit
    expect(await list(join(root, 'up'))).toEqual(['file.bin']);
  });

  it('keeps the old content visible until commit', async () => {
    const sink = await handler().openWrite(writeReq('existing.txt'));
    await sink.write(bytes('new'));
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('old');
    await sink.commit();
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('new');
  });

  it('creates files with mode 0o644 (minus the umask); an overwrite keeps the old mode', async () => {
    await upload(handler(), 'm.txt', 'x');
    const umask = process.umask();
    expect((await stat(join(root, 'm.txt'))).mode & 0o777).toBe(0o644 & ~umask);
    await chmod(join(root, 'existing.txt'), 0o600);
    await upload(handler(), 'existing.txt', 'y');
    expect((await stat(join(root, 'existing.txt'))).mode & 0o777).toBe(0o600);
  });

  it('removes the temp file on abort, leaving the target untouched', async () => {
    const sink = await handler().openWrite(writeReq('existing.txt'));
    await sink.write(bytes('garbage'));
    await sink.abort(new Error('peer went away'));
    await sink.abort(); // idempotent
    expect(await list(root)).toEqual(['existing.txt', 'up']);
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('old');
    await expect(sink.write(bytes('more'))).rejects.toMatchObject({ errorCode: 0 });
    await expect(sink.commit()).rejects.toMatchObject({ errorCode: 0 });
  });

  it('removes the temp file when the request signal aborts', async () => {
    const ac = new AbortController();
    const sink = await handler().openWrite(writeReq('new.txt', { signal: ac.signal }));
    await sink.write(bytes('partial'));
    ac.abort();
    await sink.abort(); // waits for the abort already under way
    expect(await list(root)).toEqual(['existing.txt', 'up']);
  });

  it('removes the temp file on await using without commit', async () => {
    {
      await using sink = await handler().openWrite(writeReq('new.txt'));
      await sink.write(bytes('partial'));
    }
    expect(await list(root)).toEqual(['existing.txt', 'up']);
  });

  it('refuses a tsize above maxFileSize up front with ERROR 3 (octet)', async () => {
    const h = handler({ maxFileSize: 10 });
    const e = await writeErr(h, 'big', { size: 11 });
    expect(e.errorCode).toBe(3);
    expect(e.code).toBe('ERR_TFTP_DISK_FULL');
    expect(await list(root)).toEqual(['existing.txt', 'up']);
    const sink = await h.openWrite(writeReq('ok', { size: 10 }));
    await sink.abort();
  });

  it('does not trust a netascii tsize against maxFileSize (it counts wire bytes) but enforces it while writing', async () => {
    const h = handler({ maxFileSize: 10 });
    const sink = await h.openWrite(writeReq('n', { size: 12, mode: 'netascii' }));
    await sink.write(bytes('0123456789'));
    await sink.commit();
    expect(await readFile(join(root, 'n'), 'utf8')).toBe('0123456789');
  });

  it('enforces maxFileSize during the transfer: ERROR 3 and nothing left behind', async () => {
    const h = handler({ maxFileSize: 10 });
    const sink = await h.openWrite(writeReq('existing.txt', { size: 5 })); // a lying tsize
    await sink.write(bytes('012345'));
    await expect(sink.write(bytes('6789X'))).rejects.toMatchObject({ errorCode: 3, message: 'file too large' });
    expect(await list(root)).toEqual(['existing.txt', 'up']);
    expect(await readFile(join(root, 'existing.txt'), 'utf8')).toBe('old');
    await expect(sink.commit()).rejects.toMatchObject({ errorCode: 0 });
  });

  it('accepts a file of exactly maxFileSize', async () => {
    await upload(handler({ maxFileSize: 4 }), 'four', '1234');
    expect(await readFile(join(root, 'four'), 'utf8')).toBe('1234');
  });

  it('handles an empty upload and big chunks', async () => {
    const h = handler({ fsync: false });
    const empty = await h.openWrite(writeReq('empty'));
    await empty.commit();
    expect((await stat(join(root, 'empty'))).size).toBe(0);
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
    await upload(h, 'big', data);
    expect((await readFile(join(root, 'big'))).equals(Buffer.from(data))).toBe(true);
  });

  it('two concurrent uploads use distinct temp files', async () => {
    const h = handler();
    const a = await h.openWrite(writeReq('a'));
    const b = await h.openWrite(writeReq('a'));
    await a.write(bytes('AAA'));
    await b.write(bytes('BB'));
    expect((await list(root)).filter((n) => n.endsWith('.part'))).toHaveLength(2);
    await a.commit();
    await b.commit();
    expect(await readFile(join(root, 'a'), 'utf8')).toBe('BB');
    expect(await list(root)).toEqual(['a', 'existing.txt', 'up']);
  });

  it('does not leak descriptors on commit, abort or size overflow', async () => {
    const before = await fdCount();
    const h = handler({ maxFileSize: 3 });
    for (let i = 0; i < 10; i++) {
      await upload(h, `f${i}`, 'abc');
      const s1 = await h.openWrite(writeReq(`g${i}`));
      await s1.abort();
      const s2 = await h.openWrite(writeReq(`h${i}`));
      await s2.write(bytes('abcd')).catch(() => {});
    }
    const after = await fdCount();
    if (before !== undefined) expect(after).toBe(before);
    expect((await list(root)).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('rejects with the abort reason when the signal is already aborted, creating nothing', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(handler().openWrite(writeReq('x', { signal: ac.signal }))).rejects.toThrow('stop');
    expect(await list(root)).toEqual(['existing.txt', 'up']);
  });
});
