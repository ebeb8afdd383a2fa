import { describe, expect, it } from 'vitest';
import {
  composeHandlers,
  createMemoryHandler,
  defineHandler,
  openReadFrom,
  openWriteTo,
  readSource,
  TftpError,
} from '../../src/index.js';
import { bytes, collect, readReq, text, writeReq } from './helpers.js';

describe('createMemoryHandler', () => {
  it('serves files by normalised name', async () => {
    const h = createMemoryHandler(new Map([['boot/x', bytes('X')]]));
    for (const name of ['boot/x', '/boot/x', 'boot\\x', './boot//x']) {
      const s = await h.openRead(readReq(name));
      expect(s.size).toBe(1);
      expect(text(await collect(s))).toBe('X');
    }
    await expect(h.openRead(readReq('missing'))).rejects.toMatchObject({ errorCode: 1 });
    await expect(h.openRead(readReq('../boot/x'))).rejects.toMatchObject({ errorCode: 2 });
    await expect(h.openRead(readReq('a\0b'))).rejects.toMatchObject({ errorCode: 2 });
  });

  it('refuses uploads by default, with the same opt-ins as the filesystem handler', async () => {
    const files = new Map([['old', bytes('old')]]);
    await expect(createMemoryHandler(files).openWrite(writeReq('new'))).rejects.toMatchObject({ errorCode: 2 });
    const writeOnly = createMemoryHandler(files, { allowWrite: true });
    await expect(writeOnly.openWrite(writeReq('new'))).rejects.toMatchObject({ errorCode: 2 });
    await expect(writeOnly.openWrite(writeReq('old'))).rejects.toMatchObject({ errorCode: 6 });
  });

  it('accepts uploads into the map on commit only', async () => {
    const files = new Map<string, Uint8Array>();
    const h = createMemoryHandler(files, { allowWrite: true, allowCreate: true, maxFileSize: 5 });
    const sink = await h.openWrite(writeReq('/up/a.bin'));
    await sink.write(bytes('12'));
    await sink.write(bytes('345'));
    expect(files.size).toBe(0);
    await sink.commit();
    expect(text(files.get('up/a.bin')!)).toBe('12345');
    await expect(h.openWrite(writeReq('big', { size: 6 }))).rejects.toMatchObject({ errorCode: 3 });
    const over = await h.openWrite(writeReq('big2'));
    await expect(over.write(bytes('123456'))).rejects.toMatchObject({ errorCode: 3 });
    expect(files.has('big2')).toBe(false);
    // create-only: someone else created it meanwhile
    const late = await h.openWrite(writeReq('late'));
    files.set('late', bytes('theirs'));
    await expect(late.commit()).rejects.toMatchObject({ errorCode: 6 });
    expect(text(files.get('late')!)).toBe('theirs');
  });

  it('overwrites when allowed', async () => {
    const files = new Map([['f', bytes('old')]]);
    const h = createMemoryHandler(files, { allowWrite: true, allowOverwrite: true });
    const sink = await h.openWrite(writeReq('f'));
    await sink.write(bytes('new'));
    await sink.commit();
    expect(text(files.get('f')!)).toBe('new');
  });
});

describe('defineHandler, composeHandlers, openReadFrom, openWriteTo', () => {
  const generated = defineHandler({
    async openRead(req) {
      if (req.filename !== 'hello') throw new TftpError(1);
      return readSource(`hello ${req.remote.address}`);
    },
  });

  it('a function-based handler serves generated content', async () => {
    expect(text(await collect(await openReadFrom(generated, readReq('hello'))))).toBe('hello 127.0.0.1');
  });

  it('missing members: reads get ERROR 1, writes ERROR 2', async () => {
    await expect(openReadFrom({}, readReq('x'))).rejects.toMatchObject({ errorCode: 1 });
    await expect(openWriteTo(generated, writeReq('x'))).rejects.toMatchObject({ errorCode: 2 });
  });

  it('other rejections become TftpErrors; an abort reason passes through', async () => {
    const broken = defineHandler({
      async openRead() {
        throw Object.assign(new Error('/etc/x: EACCES'), { code: 'EACCES' });
      },
      async openWrite() {
        throw new Error('bug');
      },
    });
    await expect(openReadFrom(broken, readReq('x'))).rejects.toMatchObject({ errorCode: 2 });
    await expect(openWriteTo(broken, writeReq('x'))).rejects.toMatchObject({ errorCode: 0 });
    const ac = new AbortController();
    const reason = new Error('shutdown');
    ac.abort(reason);
    await expect(openReadFrom(generated, readReq('hello', { signal: ac.signal }))).rejects.toBe(reason);
  });

  it('composes: the first handler that does not say "file not found" wins', async () => {
    const files = new Map([
      ['hello', bytes('from memory')],
      ['other', bytes('other')],
    ]);
    const h = composeHandlers(generated, createMemoryHandler(files, { allowWrite: true, allowCreate: true }));
    expect(text(await collect(await h.openRead(readReq('hello'))))).toBe('hello 127.0.0.1');
    expect(text(await collect(await h.openRead(readReq('other'))))).toBe('other');
    await expect(h.openRead(readReq('none'))).rejects.toMatchObject({ errorCode: 1 });
    await expect(h.openRead(readReq('../x'))).rejects.toMatchObject({ errorCode: 2 });
    const sink = await h.openWrite(writeReq('new')); // generated has no openWrite: skipped
    await sink.write(bytes('n'));
    await sink.commit();
    expect(files.has('new')).toBe(true);
    await expect(composeHandlers(generated).openWrite(writeReq('x'))).rejects.toMatchObject({ errorCode: 2 });
    await expect(composeHandlers().openRead(readReq('x'))).rejects.toMatchObject({ errorCode: 1 });
  });
});
