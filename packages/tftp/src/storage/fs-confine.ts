// Confinement to the served root for the filesystem handler: the lexical policy (path.ts), then
// the same separator-aware check after resolving symlinks (reference/tftp.md "A safe server").
import { readlink, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { TftpError, toTftpError } from '../errors.js';
import { type FilenamePolicy, isInsideRoot, resolveTftpFilename } from './path.js';

/** Our temp files (fs-write.ts); never served nor written to by name. */
export const TEMP_NAME = /^\.tftp-upload-[0-9a-f]{16}\.part$/;

/** The root with its own symlinks resolved; errors as ERROR 0 (a server problem, not the peer's). */
export async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (error) {
    throw new TftpError(0, 'server root unavailable', { cause: error });
  }
}

/** The lexical target `<realRoot>/<normalised name>`, or ERROR 2 for a refused name. */
export function lexicalTarget(rootReal: string, filename: string, policy: FilenamePolicy | undefined): string {
  const result = resolveTftpFilename(filename, policy);
  if (!result.ok) throw new TftpError(2, result.message);
  if (TEMP_NAME.test(result.segments.at(-1)!)) throw new TftpError(1);
  return path.join(rootReal, ...result.segments);
}

/**
 * `realpath(p)` that must stay inside the root; with `followSymlinks: false` any symlink on the
 * way (the result differs from the lexical path) is refused too. ENOENT → ERROR 1.
 */
export async function confinedRealpath(rootReal: string, p: string, followSymlinks: boolean): Promise<string> {
  let real: string;
  try {
    real = await realpath(p);
  } catch (error) {
    throw toTftpError(error);
  }
  if (!isInsideRoot(rootReal, real)) throw new TftpError(2, 'path leads outside the root');
  if (!followSymlinks && real !== p) throw new TftpError(2, 'symbolic links are not followed');
  return real;
}

/**
 * After open: where the descriptor really points (Linux `/proc/self/fd`), checked again, so a
 * component swapped for a symlink between the realpath and the open is caught. Where there is
 * no `/proc`, the O_NOFOLLOW open is the remaining guard.
 */
export async function checkOpenedFd(rootReal: string, fd: number): Promise<void> {
  let actual: string;
  try {
    actual = await readlink(`/proc/self/fd/${fd}`);
  } catch {
    return;
  }
  if (!path.isAbsolute(actual)) return; // pipe:[…], anon_inode:… — not a path
  if (!isInsideRoot(rootReal, actual.replace(/ \(deleted\)$/, ''))) {
    throw new TftpError(2, 'path leads outside the root');
  }
}
