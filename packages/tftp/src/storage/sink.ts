// Build a WriteSink (handler.ts) with the contract enforced in one place: sequential writes, a size
// limit (reference/tftp.md "A safe server": maximum file size checked during the transfer),
// discard on any failure, idempotent abort, nothing after commit.
import { TftpError, toTftpError } from '../errors.js';
import type { WriteSink } from './handler.js';

/** The three steps a sink implementation provides; `writeSink()` adds the bookkeeping. */
export interface WriteSinkImpl {
  write(chunk: Uint8Array): void | Promise<void>;
  commit(): void | Promise<void>;
  /** Discard everything written so far. Called at most once, never after a successful commit. */
  abort?(reason: unknown): void | Promise<void>;
}

export interface WriteSinkOptions {
  /** More bytes than this → the sink aborts itself and `write()` rejects with ERROR 3. */
  maxSize?: number;
  /** Aborting it aborts the sink (unless already committed). */
  signal?: AbortSignal;
}

const noop = () => {};

/** Wrap an implementation as a `WriteSink`. */
export function writeSink(impl: WriteSinkImpl, options: WriteSinkOptions = {}): WriteSink {
  const { maxSize, signal } = options;
  let state: 'open' | 'committing' | 'committed' | 'aborted' = 'open';
  let aborting: Promise<void> | undefined;
  let committing: Promise<void> | undefined;
  let written = 0;

  const onAbort = () => void abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const settle = () => signal?.removeEventListener('abort', onAbort);

  function abort(reason?: unknown): Promise<void> {
    if (state === 'committed') return Promise.resolve();
    if (aborting) return aborting;
    // A commit under way either succeeds (abort is then a no-op) or discards everything itself.
    if (state === 'committing' && committing) return committing.then(noop, noop);
    state = 'aborted';
    settle();
    aborting = (async () => {
      try {
        await impl.abort?.(reason);
      } catch {
        // abort() never rejects
      }
    })();
    return aborting;
  }

  // Run a step; on failure discard everything and reject with a TftpError.
  async function guarded(step: () => void | Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      await abort(error);
      throw toTftpError(error);
    }
  }

  const sink: WriteSink = {
    async write(chunk) {
      if (state !== 'open') throw new TftpError(0, `write after ${state === 'aborted' ? 'abort' : 'commit'}`);
      written += chunk.length;
      if (maxSize !== undefined && written > maxSize) {
        await abort(new TftpError(3, 'file too large'));
        throw new TftpError(3, 'file too large');
      }
      await guarded(() => impl.write(chunk));
    },
    async commit() {
      if (state !== 'open') throw new TftpError(0, `commit after ${state === 'aborted' ? 'abort' : 'commit'}`);
      state = 'committing';
      committing = (async () => {
        try {
          await impl.commit();
        } catch (error) {
          state = 'open'; // so that abort() below runs
          await abort(error);
          throw toTftpError(error);
        }
        state = 'committed';
        settle();
      })();
      await committing;
    },
    abort,
    [Symbol.asyncDispose]: () => abort(new Error('disposed')),
  };
  if (signal?.aborted) void abort(signal.reason);
  return sink;
}

export interface MemorySinkOptions extends WriteSinkOptions {
  /** Receives the whole upload, once, on commit. */
  onCommit: (bytes: Uint8Array) => void | Promise<void>;
}

/** A sink that collects an upload in memory and hands it over on commit. */
export function memorySink(options: MemorySinkOptions): WriteSink {
  let chunks: Uint8Array[] = [];
  let length = 0;
  return writeSink(
    {
      write(chunk) {
        chunks.push(chunk.slice()); // the caller may reuse its buffer
        length += chunk.length;
      },
      async commit() {
        const bytes = new Uint8Array(length);
        let offset = 0;
        for (const c of chunks) {
          bytes.set(c, offset);
          offset += c.length;
        }
        chunks = [];
        await options.onCommit(bytes);
      },
      abort() {
        chunks = [];
        length = 0;
      },
    },
    options,
  );
}
