import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memorySink, readSource, TftpError, writeSink } from '../../src/index.js';
import { bytes, collect, text } from './helpers.js';

describe('readSource', () => {
  it('takes bytes and strings, with their size', async () => {
    const a = readSource(bytes('abc'));
    expect(a.size).toBe(3);
    expect(text(await collect(a))).toBe('abc');
    const b = readSource('héllo');
    expect(b.size).toBe(6);
    expect(text(await collect(b))).toBe('héllo');
    expect(readSource(new Uint8Array(0)).size).toBe(0);
    expect(await collect(readSource(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('takes async iterables, iterables, Node Readables and web ReadableStreams (size unknown)', async () => {
    async function* gen() {
      yield bytes('a');
      yield 'b';
    }
    expect(text(await collect(readSource(gen())))).toBe('ab');
    expect(readSource(gen()).size).toBeUndefined();
    expect(text(await collect(readSource([bytes('x'), bytes('y')])))).toBe('xy');
    expect(text(await collect(readSource(Readable.from([Buffer.from('no'), Buffer.from('de')]))))).toBe('node');
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('we'));
        c.enqueue(bytes('b'));
        c.close();
      },
    });
    expect(text(await collect(readSource(web)))).toBe('web');
  });

  it('pulls lazily (backpressure): nothing is read before the consumer asks', async () => {
    let produced = 0;
    async function* gen() {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield new Uint8Array(10);
      }
    }
    const s = readSource(gen());
    expect(produced).toBe(0);
    for await (const _ of s) if (produced === 3) break;
    expect(produced).toBe(3);
  });

  it('checks a declared size: longer or shorter fails with ERROR 0', async () => {
    await expect(collect(readSource([bytes('abcd')], { size: 3 }))).rejects.toMatchObject({
      errorCode: 0,
      message: 'file changed during transfer',
    });
    await expect(collect(readSource([bytes('ab')], { size: 3 }))).rejects.toBeInstanceOf(TftpError);
    expect(text(await collect(readSource([bytes('a'), bytes('bc')], { size: 3 })))).toBe('abc');
  });

  it('refuses chunks that are not bytes', async () => {
    await expect(collect(readSource([42 as unknown as Uint8Array]))).rejects.toThrow(TypeError);
    expect(() => readSource([], { size: -1 })).toThrow(RangeError);
  });

  it('can be iterated once only', async () => {
    const s = readSource(bytes('x'));
    await collect(s);
    await expect(collect(s)).rejects.toThrow('only once');
  });

  it('close() releases the body even when never iterated, once, and never rejects', async () => {
    let closes = 0;
    const node = Readable.from([Buffer.from('x')]);
    const s = readSource(node, {
      close: () => {
        closes++;
        throw new Error('ignored');
      },
    });
    await s.close();
    await s.close();
    expect(closes).toBe(1);
    expect(node.destroyed).toBe(true);

    let cancelled = false;
    const web = new ReadableStream({
      cancel: () => {
        cancelled = true;
      },
    });
    await readSource(web).close();
    expect(cancelled).toBe(true);

    let finalized = false;
    async function* gen() {
      try {
        yield bytes('x');
        yield bytes('y');
      } finally {
        finalized = true;
      }
    }
    const g = readSource(gen());
    for await (const _ of g) break;
    expect(finalized).toBe(true);
  });

  it('runs close() after a complete iteration', async () => {
    let closed = false;
    await collect(
      readSource(bytes('abc'), {
        close: () => {
          closed = true;
        },
      }),
    );
    expect(closed).toBe(true);
  });
});

describe('writeSink / memorySink', () => {
  it('memorySink hands the whole upload over on commit, copying chunks', async () => {
    let got: Uint8Array | undefined;
    const sink = memorySink({
      onCommit: (b) => {
        got = b;
      },
    });
    const buf = bytes('abc');
    await sink.write(buf);
    buf.fill(0); // the io layer may reuse its buffer
    await sink.write(bytes('def'));
    expect(got).toBeUndefined();
    await sink.commit();
    expect(text(got!)).toBe('abcdef');
  });

  it('enforces maxSize with ERROR 3 and discards', async () => {
    let committed = false;
    let aborted = 0;
    const sink = writeSink(
      {
        write() {},
        commit: () => {
          committed = true;
        },
        abort: () => void aborted++,
      },
      { maxSize: 4 },
    );
    await sink.write(bytes('1234'));
    await expect(sink.write(bytes('5'))).rejects.toMatchObject({ errorCode: 3 });
    expect(aborted).toBe(1);
    await expect(sink.commit()).rejects.toMatchObject({ errorCode: 0 });
    expect(committed).toBe(false);
  });

  it('a failing write or commit aborts and rejects with a TftpError', async () => {
    let aborted = 0;
    const failingWrite = writeSink({
      write() {
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
      commit() {},
      abort: () => void aborted++,
    });
    await expect(failingWrite.write(bytes('x'))).rejects.toMatchObject({ errorCode: 3 });
    expect(aborted).toBe(1);
    const failingCommit = writeSink({
      write() {},
      commit() {
        throw new TftpError(6);
      },
      abort: () => void aborted++,
    });
    await expect(failingCommit.commit()).rejects.toMatchObject({ errorCode: 6 });
    expect(aborted).toBe(2);
    await failingCommit.abort();
    expect(aborted).toBe(2);
  });

  it('abort is idempotent, never rejects, and is a no-op after commit', async () => {
    let aborted = 0;
    const sink = writeSink({
      write() {},
      commit() {},
      abort() {
        aborted++;
        throw new Error('ignored');
      },
    });
    await sink.abort();
    await sink.abort();
    expect(aborted).toBe(1);
    const done = writeSink({ write() {}, commit() {}, abort: () => void aborted++ });
    await done.commit();
    await done.abort();
    expect(aborted).toBe(1);
  });

  it('an abort during a commit waits for it rather than racing it', async () => {
    let release!: () => void;
    const events: string[] = [];
    const sink = writeSink({
      write() {},
      commit: () =>
        new Promise<void>((r) => {
          release = () => {
            events.push('committed');
            r();
          };
        }),
      abort: () => void events.push('aborted'),
    });
    const c = sink.commit();
    const a = sink.abort();
    release();
    await Promise.all([c, a]);
    expect(events).toEqual(['committed']);
  });

  it('aborts when its signal aborts (and at once if already aborted)', async () => {
    let aborted = 0;
    const ac = new AbortController();
    const sink = writeSink({ write() {}, commit() {}, abort: () => void aborted++ }, { signal: ac.signal });
    ac.abort();
    await sink.abort();
    expect(aborted).toBe(1);
    writeSink({ write() {}, commit() {}, abort: () => void aborted++ }, { signal: AbortSignal.abort() });
    await new Promise((r) => setTimeout(r, 0));
    expect(aborted).toBe(2);
  });
});
