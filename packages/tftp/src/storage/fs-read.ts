// Reads for the filesystem handler: open first, then fstat the descriptor (no TOCTOU between a
// stat and the open), regular files only, chunks pulled on demand, descriptor always closed.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { TftpError, toTftpError } from '../errors.js';
import { checkOpenedFd, confinedRealpath, lexicalTarget, realRoot } from './fs-confine.js';
import type { ReadSource, TftpReadRequest } from './handler.js';
import type { FilenamePolicy } from './path.js';
import { readSource } from './source.js';

export interface FsReadOptions {
  root: string;
  followSymlinks: boolean;
  filenames: FilenamePolicy | undefined;
  chunkSize: number;
}

// O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused after the fstat anyway).
// O_NOFOLLOW: the final component was resolved by realpath; a symlink there now is a swap.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export async function openFsRead(request: TftpReadRequest, options: FsReadOptions): Promise<ReadSource> {
  request.signal.throwIfAborted();
  const rootReal = await realRoot(options.root);
  const lexical = lexicalTarget(rootReal, request.filename, options.filenames);
  const real = await confinedRealpath(rootReal, lexical, options.followSymlinks);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(real, READ_FLAGS);
  } catch (error) {
    throw toTftpError(error);
  }
  let size: number;
  try {
    await checkOpenedFd(rootReal, fh.fd);
    const st = await fh.stat();
    if (!st.isFile()) throw new TftpError(2, 'not a regular file');
    size = st.size;
    request.signal.throwIfAborted();
  } catch (error) {
    await fh.close().catch(() => {});
    throw request.signal.aborted && error === request.signal.reason ? error : toTftpError(error);
  }

  const { chunkSize } = options;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let position = 0;
    while (position < size) {
      const want = Math.min(chunkSize, size - position);
      const buffer = new Uint8Array(want); // fresh each time: the consumer owns yielded chunks
      const { bytesRead } = await fh.read(buffer, 0, want, position);
      if (bytesRead === 0) return; // shrank: readSource reports the size mismatch
      position += bytesRead;
      yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
    }
  }

  const onAbort = () => void source.close();
  const source = readSource(chunks(), {
    size,
    close: async () => {
      request.signal.removeEventListener('abort', onAbort);
      await fh.close();
    },
  });
  request.signal.addEventListener('abort', onAbort, { once: true });
  return source;
}
