// The DATA receiver's side of the io: delivered blocks (views into the receive buffer, consumed
// at once) are copied into 64 KiB staging chunks written one at a time. When writes fall behind,
// the driver stops receiving, which delays our ACKs: the sender slows down (backpressure through
// the protocol itself, RFC 1350 lockstep / RFC 7440 windows). Memory stays constant.

import type { Writable } from 'node:stream';

/** Where `tftpGet` writes. A function is awaited before more data is taken. */
export type TftpGetSink =
  | WritableStream<Uint8Array>
  | NodeJS.WritableStream
  | Writable
  | ((chunk: Uint8Array) => void | Promise<void>);

export interface ChunkWriterOptions {
  /** Staging chunk size (default 64 KiB). */
  chunkSize?: number;
  /**
   * True when `write` is done with a chunk once its Promise resolves (our own sinks): chunks are
   * then reused. False (user sinks, streams that queue chunks): every chunk handed over is new.
   */
  reuse?: boolean;
}

/** Coalesces small pieces into chunks, written sequentially; tells the caller when to wait. */
export class ChunkWriter {
  readonly #write: (chunk: Uint8Array) => void | Promise<void>;
  readonly #size: number;
  readonly #reuse: boolean;
  #buf: Uint8Array;
  #used = 0;
  readonly #queue: Uint8Array[] = [];
  readonly #free: Uint8Array[] = [];
  #writing = false;
  #error: { e: unknown } | undefined;
  #waiters: (() => void)[] = [];
  /** Bytes handed to `write` so far (and accepted). */
  written = 0;

  constructor(write: (chunk: Uint8Array) => void | Promise<void>, options: ChunkWriterOptions = {}) {
    this.#write = write;
    this.#size = options.chunkSize ?? 65536;
    this.#reuse = options.reuse ?? false;
    this.#buf = new Uint8Array(this.#size);
  }

  /** Copies `data` now. A Promise: wait for it before pushing much more (two chunks are queued). */
  push(data: Uint8Array): Promise<void> | undefined {
    if (this.#error !== undefined) return Promise.reject(this.#error.e);
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, this.#size - this.#used);
      this.#buf.set(n === data.length ? data : data.subarray(off, off + n), this.#used);
      this.#used += n;
      off += n;
      if (this.#used === this.#size) this.#emit();
    }
    return this.#queue.length >= 2 ? this.#drained(1) : undefined;
  }

  /** Writes what is staged and waits for every write. */
  async flush(): Promise<void> {
    if (this.#used > 0) this.#emit();
    await this.#drained(0);
  }

  #emit(): void {
    const chunk = this.#used === this.#size ? this.#buf : this.#buf.subarray(0, this.#used);
    this.#queue.push(chunk);
    this.#buf = (this.#reuse ? this.#free.pop() : undefined) ?? new Uint8Array(this.#size);
    this.#used = 0;
    if (!this.#writing) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0 && this.#error === undefined) {
        const chunk = this.#queue[0]!;
        await this.#write(chunk);
        this.#queue.shift();
        this.written += chunk.length;
        if (this.#reuse && chunk.length === this.#size) this.#free.push(chunk);
        this.#wake();
      }
    } catch (error) {
      this.#error = { e: error };
      this.#queue.length = 0;
    } finally {
      this.#writing = false;
      this.#wake();
    }
  }

  #wake(): void {
    const w = this.#waiters;
    if (w.length === 0) return;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Resolves once at most `n` chunks are queued (rejects if a write failed). */
  async #drained(n: number): Promise<void> {
    while (this.#error === undefined && this.#queue.length > n) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.#error !== undefined) throw this.#error.e;
  }
}

/** A user sink as `write` (awaited, chunk handed over) + `close` (at success) + `abort` (at failure). */
export interface UserSink {
  write(chunk: Uint8Array): void | Promise<void>;
  close(): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

function isWebWritable(x: unknown): x is WritableStream<Uint8Array> {
  return typeof (x as { getWriter?: unknown })?.getWriter === 'function';
}

function isNodeWritable(x: unknown): x is NodeJS.WritableStream {
  return typeof (x as { write?: unknown })?.write === 'function' && typeof (x as { on?: unknown }).on === 'function';
}

/**
 * Adapts what `tftpGet` takes. A web stream is closed at success and aborted at failure; a Node
 * stream is ended at success (except process.stdout/stderr) and left to its owner at failure;
 * a function is just called.
 */
export function userSink(sink: TftpGetSink): UserSink {
  if (typeof sink === 'function') {
    return { write: sink, close: async () => {}, abort: async () => {} };
  }
  if (isWebWritable(sink)) {
    const writer = sink.getWriter();
    let failed: { e: unknown } | undefined;
    return {
      async write(chunk) {
        if (failed) throw failed.e;
        await writer.ready;
        writer.write(chunk).catch((e: unknown) => {
          failed ??= { e };
        });
      },
      async close() {
        if (failed) throw failed.e;
        await writer.close();
      },
      async abort(reason) {
        await writer.abort(reason).catch(() => {});
      },
    };
  }
  if (isNodeWritable(sink)) {
    const stream = sink as NodeJS.WritableStream & { destroyed?: boolean };
    let failed: { e: unknown } | undefined;
    /** Rejects the write waiting for 'drain', if any. */
    let interrupt: ((e: unknown) => void) | undefined;
    const fail = (e: unknown) => {
      failed ??= { e };
      interrupt?.(failed.e);
    };
    const onError = (e: unknown) => fail(e);
    // Destroyed without an error: no 'drain' will ever come.
    const onClose = () => fail(new Error('the sink stream was closed'));
    stream.on('error', onError);
    stream.on('close', onClose);
    const done = () => {
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const afterWrite = (e?: Error | null) => {
      if (e) fail(e);
    };
    return {
      write(chunk) {
        if (failed) throw failed.e;
        if (stream.destroyed) throw new Error('the sink stream was destroyed');
        if (stream.write(chunk, afterWrite)) return;
        return new Promise<void>((resolve, reject) => {
          const ok = () => {
            interrupt = undefined;
            resolve();
          };
          interrupt = (e) => {
            interrupt = undefined;
            stream.off('drain', ok);
            reject(e);
          };
          stream.once('drain', ok);
        });
      },
      async close() {
        if (failed) throw failed.e;
        if (stream === process.stdout || stream === process.stderr) {
          done();
          return;
        }
        stream.off('close', onClose);
        await new Promise<void>((resolve, reject) => {
          interrupt = reject;
          stream.end(() => {
            interrupt = undefined;
            resolve();
          });
        });
        done();
      },
      async abort() {
        done();
      },
    };
  }
  throw new TypeError('tftpGet: sink must be a WritableStream, a Node writable stream or a function');
}
