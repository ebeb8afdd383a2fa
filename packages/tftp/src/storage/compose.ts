// Function-based handlers and composition, plus the two calls the io layer makes: they apply
// the missing-member defaults of TftpHandler and turn any rejection into a TftpError.
import { TftpError, toTftpError } from '../errors.js';
import type { ReadSource, TftpHandler, TftpReadRequest, TftpWriteRequest, WriteSink } from './handler.js';

/** Identity with types: `defineHandler({ openRead: async (req) => readSource(bytes) })`. */
export function defineHandler<H extends TftpHandler>(handler: H): H {
  return handler;
}

// Keep the abort reason as is (DESIGN.md: waiting calls reject with signal.reason).
function rethrow(error: unknown, signal: AbortSignal): unknown {
  return signal.aborted && error === signal.reason ? error : toTftpError(error);
}

/** Open a read: ERROR 1 if the handler has no `openRead`; rejections become `TftpError`s. */
export async function openReadFrom(handler: TftpHandler, request: TftpReadRequest): Promise<ReadSource> {
  request.signal.throwIfAborted();
  if (!handler.openRead) throw new TftpError(1);
  try {
    return await handler.openRead(request);
  } catch (error) {
    throw rethrow(error, request.signal);
  }
}

/** Open a write: ERROR 2 if the handler has no `openWrite`; rejections become `TftpError`s. */
export async function openWriteTo(handler: TftpHandler, request: TftpWriteRequest): Promise<WriteSink> {
  request.signal.throwIfAborted();
  if (!handler.openWrite) throw new TftpError(2, 'writes are not allowed');
  try {
    return await handler.openWrite(request);
  } catch (error) {
    throw rethrow(error, request.signal);
  }
}

/**
 * Try handlers in order: the first that does not answer "file not found" (ERROR 1) wins, e.g.
 * `composeHandlers(generated, createFsHandler({ root }))`. Handlers without the member are
 * skipped; if none has it, reads get ERROR 1 and writes ERROR 2.
 */
export function composeHandlers(...handlers: TftpHandler[]): Required<TftpHandler> {
  async function first<R, T>(
    request: R & { signal: AbortSignal },
    pick: (h: TftpHandler) => ((r: R) => Promise<T>) | undefined,
    none: () => TftpError,
  ): Promise<T> {
    let notFound: TftpError | undefined;
    for (const handler of handlers) {
      const open = pick(handler);
      if (!open) continue;
      request.signal.throwIfAborted();
      try {
        return await open.call(handler, request);
      } catch (error) {
        const e = rethrow(error, request.signal);
        if (e instanceof TftpError && e.errorCode === 1) {
          notFound = e;
          continue;
        }
        throw e;
      }
    }
    throw notFound ?? none();
  }
  return {
    openRead: (request) =>
      first(
        request,
        (h) => h.openRead,
        () => new TftpError(1),
      ),
    openWrite: (request) =>
      first(
        request,
        (h) => h.openWrite,
        () => new TftpError(2, 'writes are not allowed'),
      ),
  };
}
