import { execFileSync } from 'node:child_process';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsHandler } from '../../src/index.js';
import { checkOpenedFd, lexicalTarget } from '../../src/storage/fs-confine.js';
import { readReq, tempDir } from './helpers.js';

let base: string;
let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  root = join(base, 'tftp');
  await mkdir(root);
  await writeFile(join(root, 'in'), 'in');
  await writeFile(join(base, 'out'), 'out');
});
afterEach(() => cleanup());

describe('fs confinement internals', () => {
  it('lexicalTarget joins normalised names under the root and refuses bad ones with ERROR 2', () => {
    expect(lexicalTarget('/srv/tftp', '/a\\b', undefined)).toBe('/srv/tftp/a/b');
    expect(() => lexicalTarget('/srv/tftp', '../x', undefined)).toThrow(expect.objectContaining({ errorCode: 2 }));
  });

  it('checkOpenedFd catches a descriptor that points outside the root (a swap after realpath)', async () => {
    const inside = await open(join(root, 'in'));
    const outside = await open(join(base, 'out'));
    try {
      await expect(checkOpenedFd(root, inside.fd)).resolves.toBeUndefined();
      if (process.platform === 'linux') {
        await expect(checkOpenedFd(root, outside.fd)).rejects.toMatchObject({ errorCode: 2 });
      }
    } finally {
      await inside.close();
      await outside.close();
    }
  });

  it('refuses a device node inside the root (not a regular file)', async () => {
    try {
      execFileSync('mknod', [join(root, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      return; // no CAP_MKNOD here
    }
    await expect(createFsHandler({ root }).openRead(readReq('null'))).rejects.toMatchObject({
      errorCode: 2,
      message: 'not a regular file',
    });
  });
});
