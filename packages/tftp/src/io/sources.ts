// The DATA sender's side of the io: cut a stream of chunks into blocks (RFC 1350 §2: every DATA
// but the last carries exactly blksize bytes), converting to netascii on the way when asked
// (RFC 1350 "Modes": the conversion happens at the source). Constant memory: one chunk at a time.

import type { Readable } from 'node:stream';
import { NetasciiEncoder } from '../protocol/netascii.js';

/** What `tftpPut` sends. */
export type TftpPutSource =
  | Uint8Array
  | ReadableStream<Uint8Array>
  | NodeJS.ReadableStream
  | Readable
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/**
 * Fills block buffers from an async iterator of chunks. `fill` answers synchronously while the
 * current chunk has enough bytes (the common case: 64 KiB chunks, 512–1468 byte blocks), so the
 * driver awaits only when a new chunk is needed.
 */
export class BlockFiller {
  readonly #it: AsyncIterator<Uint8Array>;
  readonly #encoder: NetasciiEncoder | undefined;
  #chunk: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #done = false;
  /** The next chunk, asked for as soon as the current one is taken (reading overlaps sending). */
  #ahead: Promise<IteratorResult<Uint8Array>> | undefined;
  /** Local bytes taken from the source. */
  localBytes = 0;

  constructor(source: AsyncIterable<Uint8Array>, netascii = false) {
    this.#it = source[Symbol.asyncIterator]();
    this.#encoder = netascii ? new NetasciiEncoder() : undefined;
  }

  /** Copies up to `buffer.length` bytes; fewer means the end of the data. */
  fill(buffer: Uint8Array): number | Promise<number> {
    const n = this.#copy(buffer, 0);
    if (n === buffer.length || this.#done) return n;
    return this.#fillAsync(buffer, n);
  }

  #copy(buffer: Uint8Array, at: number): number {
    const chunk = this.#chunk;
    const take = Math.min(chunk.length - this.#pos, buffer.length - at);
    if (take > 0) {
      buffer.set(take === chunk.length ? chunk : chunk.subarray(this.#pos, this.#pos + take), at);
      this.#pos += take;
    }
    return at + take;
  }

  async #fillAsync(buffer: Uint8Array, at: number): Promise<number> {
    while (at < buffer.length && !this.#done) {
      const next = this.#ahead ?? this.#it.next();
      this.#ahead = undefined;
      const r = await next;
      if (r.done) {
        this.#done = true;
        break;
      }
      // One chunk of read-ahead (a source may reuse a chunk's memory only after the next-but-one next()).
      const ahead = this.#it.next();
      ahead.catch(() => {}); // surfaces when awaited
      this.#ahead = ahead;
      const value = toBytes(r.value);
      this.localBytes += value.length;
      this.#chunk = this.#encoder !== undefined ? this.#encoder.push(value) : value;
      this.#pos = 0;
      at = this.#copy(buffer, at);
    }
    return at;
  }

  /** Releases the source (e.g. after a failure or a refusal). Never waits for a stalled read-ahead. */
  async close(): Promise<void> {
    this.#done = true;
    const it = this.#it;
    const ahead = this.#ahead;
    this.#ahead = undefined;
    const release = async () => {
      try {
        await ahead;
      } catch {
        // reported by fill, if anyone asked
      }
      try {
        await it.return?.();
      } catch {
        // releasing never fails the caller
      }
    };
    if (ahead === undefined) await release();
    else void release();
  }
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value);
  throw new TypeError('a put source yielded something that is not a Uint8Array');
}

/** Any `TftpPutSource` as an async iterable of byte chunks, plus its size when it is known up front. */
export function putSourceChunks(source: TftpPutSource): {
  chunks: AsyncIterable<Uint8Array>;
  size: number | undefined;
} {
  if (source instanceof Uint8Array) {
    return {
      chunks: (async function* () {
        if (source.length > 0) yield source;
      })(),
      size: source.length,
    };
  }
  const s = source as { getReader?: unknown; [Symbol.asyncIterator]?: unknown; [Symbol.iterator]?: unknown };
  if (typeof s[Symbol.asyncIterator] === 'function')
    return { chunks: source as AsyncIterable<Uint8Array>, size: undefined };
  if (typeof s.getReader === 'function')
    return { chunks: webChunks(source as ReadableStream<Uint8Array>), size: undefined };
  if (typeof s[Symbol.iterator] === 'function') {
    const it = source as Iterable<Uint8Array>;
    return {
      chunks: (async function* () {
        yield* it;
      })(),
      size: undefined,
    };
  }
  throw new TypeError('tftpPut: source must be bytes, a ReadableStream, a Node stream or an (async) iterable');
}

async function* webChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
