// Moving a finished temp file to its name in one step, so no partial file is ever visible there.
// Used by uploads to the fs handler and by tftpGetFile.

import { link, lstat, rename, unlink } from 'node:fs/promises';

/** link(2) errors of filesystems without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Moves `temp` to `target`. With `overwrite`, rename(2) replaces whatever is there. Create-only,
 * link(2) places it only if nothing is there yet — a file that appeared meanwhile gives EEXIST,
 * where a rename would silently replace it — with check-then-rename on filesystems without hard
 * links. Returns false (and leaves `temp` to the caller) when create-only finds the target taken.
 */
export async function placeTempFile(temp: string, target: string, overwrite: boolean): Promise<boolean> {
  if (overwrite) {
    await rename(temp, target);
    return true;
  }
  try {
    await link(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_LINKS.has(code)) throw error;
    if (
      await lstat(target).then(
        () => true,
        () => false,
      )
    )
      return false;
    await rename(temp, target);
    return true;
  }
  await unlink(temp).catch(() => {});
  return true;
}
