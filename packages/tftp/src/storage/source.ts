// Build a ReadSource (handler.ts) from whatever a handler has: bytes, a Node Readable, a web
// ReadableStream, or any (async) iterable of chunks. Pull-based, so backpressure is the consumer's
// pace (DESIGN.md "Incoming data": never an unbounded buffer).
import { TftpError } from '../errors.js';
import type { ReadSource } from './handler.js';

/** Anything `readSource()` accepts as a body. Strings are encoded as UTF-8. */
export type ReadBody =
  | Uint8Array
  | string
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array>
  | ReadableStream<Uint8Array>;

export interface ReadSourceOptions {
  /**
   * Exact length in bytes, if known (for `tsize`). Taken from the body when it is bytes or a
   * string. When given, the source fails with ERROR 0 if the body turns out longer or shorter, so
   * a peer never gets a file that disagrees with the size it was told.
   */
  size?: number;
  /** Extra clean-up run once by `close()` (after the body is released). */
  close?: () => void | Promise<void>;
}

const encoder = new TextEncoder();

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encoder.encode(chunk);
  throw new TypeError('a read source yielded something that is not a Uint8Array');
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === 'function';
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return typeof (x as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] === 'function';
}

function isWebStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof (x as { getReader?: unknown })?.getReader === 'function';
}

// One pull-based iterator over any body.
async function* chunksOf(body: ReadBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array || typeof body === 'string') {
    const bytes = toBytes(body);
    if (bytes.length > 0) yield bytes;
    return;
  }
  if (isWebStream(body) && !isAsyncIterable(body)) {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  if (isAsyncIterable(body)) {
    for await (const chunk of body) yield toBytes(chunk);
    return;
  }
  if (isIterable(body)) {
    for (const chunk of body) yield toBytes(chunk);
    return;
  }
  throw new TypeError('unsupported read body');
}

/** Wrap a body as a `ReadSource`: iterate once, `close()` idempotent, size checked if known. */
export function readSource(body: ReadBody, options: ReadSourceOptions = {}): ReadSource {
  const size =
    options.size ??
    (body instanceof Uint8Array ? body.byteLength : typeof body === 'string' ? encoder.encode(body).length : undefined);
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new RangeError(`size must be a non-negative integer, got ${size}`);
  }
  let iterated = false;
  let closed: Promise<void> | undefined;
  let inner: AsyncGenerator<Uint8Array> | undefined;

  async function release(): Promise<void> {
    try {
      if (inner) await inner.return(undefined);
      else {
        // Never iterated: release the body itself.
        const b = body as { destroy?: () => void; cancel?: () => Promise<void>; locked?: boolean };
        if (typeof b.destroy === 'function') b.destroy();
        else if (isWebStream(body) && !b.locked) await body.cancel();
        else if (isAsyncIterable(body)) await body[Symbol.asyncIterator]().return?.();
      }
    } catch {
      // close() never rejects
    }
    try {
      await options.close?.();
    } catch {
      // close() never rejects
    }
  }

  const close = (): Promise<void> => {
    closed ??= release();
    return closed;
  };

  async function* iterate(): AsyncGenerator<Uint8Array> {
    if (iterated) throw new TypeError('a read source can be iterated only once');
    iterated = true;
    if (closed) throw new TypeError('read source is closed');
    inner = chunksOf(body);
    let total = 0;
    try {
      for await (const chunk of inner) {
        total += chunk.length;
        if (size !== undefined && total > size) throw new TftpError(0, 'file changed during transfer');
        yield chunk;
      }
      if (size !== undefined && total !== size) throw new TftpError(0, 'file changed during transfer');
    } finally {
      await close();
    }
  }

  return {
    size,
    [Symbol.asyncIterator]: () => iterate(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
