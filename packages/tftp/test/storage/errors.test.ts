import { describe, expect, it } from 'vitest';
import { isTftpError, TftpError, toTftpError } from '../../src/index.js';

describe('TftpError', () => {
  it('has the code number, a stable string code and the standard text by default', () => {
    const e = new TftpError(1);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TftpError');
    expect(e.errorCode).toBe(1);
    expect(e.code).toBe('ERR_TFTP_FILE_NOT_FOUND');
    expect(e.message).toBe('File not found.');
    expect(e.description).toBe('file not found');
  });

  it('names every code 0-8', () => {
    expect(([0, 1, 2, 3, 4, 5, 6, 7, 8] as const).map((n) => new TftpError(n).code)).toEqual([
      'ERR_TFTP_NOT_DEFINED',
      'ERR_TFTP_FILE_NOT_FOUND',
      'ERR_TFTP_ACCESS_VIOLATION',
      'ERR_TFTP_DISK_FULL',
      'ERR_TFTP_ILLEGAL_OPERATION',
      'ERR_TFTP_UNKNOWN_TRANSFER_ID',
      'ERR_TFTP_FILE_EXISTS',
      'ERR_TFTP_NO_SUCH_USER',
      'ERR_TFTP_OPTION_REFUSED',
    ]);
    expect(TftpError.codeString(3)).toBe('ERR_TFTP_DISK_FULL');
    expect(TftpError.codeString(99)).toBe('ERR_TFTP_NOT_DEFINED');
  });

  it('keeps a custom message and the cause', () => {
    const cause = new Error('inner');
    const e = new TftpError(2, 'writes are not allowed', { cause });
    expect(e.message).toBe('writes are not allowed');
    expect(e.cause).toBe(cause);
  });

  it('refuses codes outside 0-8', () => {
    expect(() => new TftpError(9 as 0)).toThrow(RangeError);
    expect(() => new TftpError(-1 as 0)).toThrow(RangeError);
    expect(() => new TftpError(1.5 as 0)).toThrow(RangeError);
  });

  it('instance checks survive a second copy of the package', async () => {
    // A second module instance, as with two installed copies of @udpkit/tftp. The `?copy` query
    // is Vite's way to load a module twice; tsc cannot resolve it.
    // @ts-expect-error -- a Vite module query, not a file
    const copy = (await import('../../src/errors.ts?copy')) as typeof import('../../src/errors.js');
    expect(copy.TftpError).not.toBe(TftpError);
    const foreign = new copy.TftpError(6);
    expect(foreign instanceof TftpError).toBe(true);
    expect(isTftpError(foreign)).toBe(true);
    expect(new TftpError(6) instanceof copy.TftpError).toBe(true);
    expect(toTftpError(foreign)).toBe(foreign);
    expect(isTftpError(new Error('x'))).toBe(false);
    expect(isTftpError(null)).toBe(false);
    expect({} instanceof TftpError).toBe(false);
  });

  it('subclasses keep ordinary instanceof', () => {
    class Special extends TftpError {}
    expect(new Special(1) instanceof Special).toBe(true);
    expect(new Special(1) instanceof TftpError).toBe(true);
    expect(new TftpError(1) instanceof Special).toBe(false);
  });
});

describe('toTftpError', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: open '/secret/path'`), { code });

  it.each([
    ['ENOENT', 1],
    ['ENOTDIR', 1],
    ['EACCES', 2],
    ['EPERM', 2],
    ['EROFS', 2],
    ['ELOOP', 2],
    ['EISDIR', 2],
    ['ENOSPC', 3],
    ['EDQUOT', 3],
    ['EFBIG', 3],
    ['EEXIST', 6],
    ['EIO', 0],
  ])('maps %s to ERROR %i without leaking the local message', (code, n) => {
    const e = toTftpError(errno(code));
    expect(e.errorCode).toBe(n);
    expect(e.message).not.toContain('/secret/path');
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('maps anything else to ERROR 0', () => {
    expect(toTftpError('boom').errorCode).toBe(0);
    expect(toTftpError(undefined).errorCode).toBe(0);
    expect(toTftpError(new TypeError('x')).message).toBe('Not defined, see error message (if any).');
  });
});
