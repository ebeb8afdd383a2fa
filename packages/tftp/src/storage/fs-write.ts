// Uploads for the filesystem handler (reference/tftp.md "A safe server"): writes, creating and
// overwriting are three opt-ins; the bytes go to a temp file in the target's directory (unique
// name, O_EXCL) that replaces the target only on commit and is removed on abort or any error;
// the size limit is checked against tsize up front and during the transfer (ERROR 3).
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { TftpError, toTftpError } from '../errors.js';
import { checkOpenedFd, confinedRealpath, lexicalTarget, realRoot } from './fs-confine.js';
import type { TftpWriteRequest, WriteSink } from './handler.js';
import type { FilenamePolicy } from './path.js';
import { placeTempFile } from './place.js';
import { writeSink } from './sink.js';

export interface FsWriteOptions {
  root: string;
  allowWrite: boolean;
  allowCreate: boolean;
  allowOverwrite: boolean;
  maxFileSize: number | undefined;
  followSymlinks: boolean;
  filenames: FilenamePolicy | undefined;
  fileMode: number;
  fsync: boolean;
}

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toTftpError(error);
  }
}

/** Where an upload will land, after every policy check; throws the TftpError to send. */
async function resolveTarget(
  request: TftpWriteRequest,
  options: FsWriteOptions,
): Promise<{ rootReal: string; target: string; existing: Stats | undefined }> {
  if (!options.allowWrite) throw new TftpError(2, 'writes are not allowed');
  const rootReal = await realRoot(options.root);
  const lexical = lexicalTarget(rootReal, request.filename, options.filenames);
  // The parent must exist (no mkdir -p) and resolve inside the root.
  const lexicalDir = path.dirname(lexical);
  const dir = await confinedRealpath(rootReal, lexicalDir, options.followSymlinks);
  let target = path.join(dir, path.basename(lexical));
  let existing = await lstatOrUndefined(target);
  if (existing?.isSymbolicLink()) {
    // Write to what the link names (if inside the root), not over the link itself.
    if (!options.followSymlinks) throw new TftpError(2, 'symbolic links are not followed');
    try {
      target = await confinedRealpath(rootReal, target, true);
    } catch (error) {
      // A dangling link: creating a file through it is refused.
      throw isNotFound(error) ? new TftpError(2, 'dangling symbolic link') : error;
    }
    existing = await stat(target).catch((error) => {
      throw toTftpError(error);
    });
  }
  if (existing) {
    if (!existing.isFile()) throw new TftpError(2, 'not a regular file');
    if (!options.allowOverwrite) throw new TftpError(6);
  } else if (!options.allowCreate) {
    throw new TftpError(2, 'creating files is not allowed');
  }
  return { rootReal, target, existing };
}

function isNotFound(error: unknown): boolean {
  return (error as TftpError)?.errorCode === 1;
}

export async function openFsWrite(request: TftpWriteRequest, options: FsWriteOptions): Promise<WriteSink> {
  request.signal.throwIfAborted();
  const { rootReal, target, existing } = await resolveTarget(request, options);
  const { maxFileSize } = options;
  // tsize is the size on the wire; in netascii the file is smaller, so only octet is checked.
  if (
    maxFileSize !== undefined &&
    request.size !== undefined &&
    request.mode === 'octet' &&
    request.size > maxFileSize
  ) {
    throw new TftpError(3, 'file too large');
  }

  const dir = path.dirname(target);
  const temp = path.join(dir, `.tftp-upload-${randomBytes(8).toString('hex')}.part`);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(temp, TEMP_FLAGS, options.fileMode);
  } catch (error) {
    throw toTftpError(error);
  }
  let closed = false;
  const closeFh = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  const removeTemp = async () => {
    await closeFh().catch(() => {});
    await unlink(temp).catch(() => {});
  };
  try {
    await checkOpenedFd(rootReal, fh.fd);
    // An overwrite keeps the permission bits of the file it replaces.
    if (existing) await fh.chmod(existing.mode & 0o777);
    request.signal.throwIfAborted();
  } catch (error) {
    await removeTemp();
    throw request.signal.aborted && error === request.signal.reason ? error : toTftpError(error);
  }

  return writeSink(
    {
      async write(chunk) {
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
      },
      async commit() {
        if (options.fsync) await fh.sync();
        await closeFh();
        // The directory must still be the one checked (no component swapped for a symlink since).
        if ((await realpath(dir)) !== dir) throw new TftpError(2, 'path changed during transfer');
        if (!(await placeTempFile(temp, target, options.allowOverwrite))) throw new TftpError(6);
      },
      abort: removeTemp,
    },
    { maxSize: maxFileSize, signal: request.signal },
  );
}
