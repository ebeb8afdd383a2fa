// createFsHandler: serve files from one folder, safe by default (reference/tftp.md "A safe
// server"): read-only, every path confined to the root before and after resolving symlinks.

import { openFsRead } from './fs-read.js';
import { openFsWrite } from './fs-write.js';
import type { TftpHandler } from './handler.js';
import type { FilenamePolicy } from './path.js';

export interface FsHandlerOptions {
  /** The folder served. Its own path may contain symlinks; everything below is confined to it. */
  root: string;
  /** Accept write requests at all (default false → ERROR 2). Needs allowCreate and/or allowOverwrite. */
  allowWrite?: boolean;
  /** Writes may create files that do not exist (default false → ERROR 2). No folders are created. */
  allowCreate?: boolean;
  /** Writes may replace existing files (default false → ERROR 6). */
  allowOverwrite?: boolean;
  /** Largest upload in bytes: a larger tsize (octet) or more data → ERROR 3, nothing kept. */
  maxFileSize?: number;
  /**
   * Follow symlinks whose real target is inside the root (default true). Symlinks leading out of
   * the root are always refused (ERROR 2); with false, every symlink on the path is refused.
   */
  followSymlinks?: boolean;
  /** How request filenames are read (path.ts): leading `/`, `\`, length bounds. */
  filenames?: FilenamePolicy;
  /** Mode of created files before the umask (default 0o644); overwrites keep the old mode. */
  fileMode?: number;
  /** fsync an upload before it replaces the target (default true). */
  fsync?: boolean;
  /** Bytes per chunk when reading (default 65536). */
  readChunkSize?: number;
}

export function createFsHandler(options: FsHandlerOptions): Required<TftpHandler> {
  if (typeof options?.root !== 'string' || options.root === '')
    throw new TypeError('createFsHandler: root is required');
  const { maxFileSize } = options;
  if (maxFileSize !== undefined && !(Number.isSafeInteger(maxFileSize) && maxFileSize >= 0)) {
    throw new RangeError(`createFsHandler: maxFileSize must be a non-negative integer, got ${maxFileSize}`);
  }
  const chunkSize = options.readChunkSize ?? 65536;
  if (!(Number.isSafeInteger(chunkSize) && chunkSize > 0)) {
    throw new RangeError(`createFsHandler: readChunkSize must be a positive integer, got ${chunkSize}`);
  }
  const followSymlinks = options.followSymlinks ?? true;
  const read = { root: options.root, followSymlinks, filenames: options.filenames, chunkSize };
  const write = {
    root: options.root,
    allowWrite: options.allowWrite ?? false,
    allowCreate: options.allowCreate ?? false,
    allowOverwrite: options.allowOverwrite ?? false,
    maxFileSize,
    followSymlinks,
    filenames: options.filenames,
    fileMode: options.fileMode ?? 0o644,
    fsync: options.fsync ?? true,
  };
  return {
    openRead: (request) => openFsRead(request, read),
    openWrite: (request) => openFsWrite(request, write),
  };
}
