import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../src/cli/progress.js';
import {
  describeError,
  formatBytes,
  formatDuration,
  formatHostPort,
  LocalFileExistsError,
  optionsReport,
  servedTransferLine,
  servedTransferReport,
  summaryLine,
  terminalSafe,
  transferReport,
} from '../../src/cli/report.js';
import { TftpTransferError } from '../../src/protocol/errors.js';

describe('numbers for people', () => {
  it('bytes, durations, host:port', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536 * 1024)).toBe('1.50 MiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatDuration(123)).toBe('0.12 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatHostPort('127.0.0.1', 69)).toBe('127.0.0.1:69');
    expect(formatHostPort('::1', 6969)).toBe('[::1]:6969');
  });
});

describe('describeError', () => {
  const ctx = { server: '127.0.0.1:69', remote: 'boot.img' };

  it('a peer ERROR names the code and its text', () => {
    const e = new TftpTransferError('peer-error', 'x', { tftpCode: 1, peerMessage: 'File not found.' });
    expect(describeError(e, ctx)).toEqual({
      code: 'peer-error',
      tftpCode: 1,
      message: 'error 1 (file not found): boot.img',
    });
  });

  it("a peer's own text is added, sanitised", () => {
    const e = new TftpTransferError('peer-error', 'x', { tftpCode: 2, peerMessage: 'no\x1b[31m writes\n' });
    expect(describeError(e, ctx).message).toBe(
      'error 2 (access violation): boot.img (server says: no\\x1b[31m writes)',
    );
  });

  it('timeouts and the other transfer codes', () => {
    expect(describeError(new TftpTransferError('timeout', 'gave up'), ctx).message).toBe(
      'timed out: no answer from 127.0.0.1:69 (boot.img)',
    );
    expect(
      describeError(new TftpTransferError('aborted', 'x', { tftpCode: 0 }), { ...ctx, interrupted: true }),
    ).toEqual({
      code: 'aborted',
      tftpCode: 0,
      message: 'interrupted (boot.img)',
    });
    expect(describeError(new TftpTransferError('bad-oack', 'blksize 99999 not asked'), ctx).message).toBe(
      'bad option acknowledgement from 127.0.0.1:69 (boot.img): blksize 99999 not asked',
    );
    expect(describeError(new TftpTransferError('too-large', 'over 10 bytes', { tftpCode: 3 }), ctx)).toMatchObject({
      code: 'too-large',
      tftpCode: 3,
    });
  });

  it('local file errors use the glibc texts', () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), {
      code: 'ENOENT',
      errno: -2,
      path: '/x/y',
    });
    expect(describeError(e)).toEqual({ code: 'ENOENT', tftpCode: null, message: "'/x/y': No such file or directory" });
    expect(describeError(new LocalFileExistsError('/tmp/a'))).toEqual({
      code: 'file-exists',
      tftpCode: null,
      message: "'/tmp/a' exists (use --force to replace it)",
    });
  });

  it('anything else keeps its own code and a sanitised message', () => {
    expect(describeError(Object.assign(new Error('bad\nthing'), { code: 'ERR_X' }))).toEqual({
      code: 'ERR_X',
      tftpCode: null,
      message: 'bad\\x0athing',
    });
    expect(describeError('weird')).toEqual({ code: 'error', tftpCode: null, message: 'weird' });
  });
});

describe('transfer summaries', () => {
  it('JSON report and summary line', () => {
    const r = transferReport(
      { op: 'get', server: '127.0.0.1:69', remote: 'a', local: '/tmp/a', mode: 'octet' },
      { bytes: 2048, blocks: 4, retransmits: 0, durationMs: 500 },
      optionsReport([
        ['blksize', '512'],
        ['tsize', '2048'],
      ]),
    );
    expect(r).toEqual({
      ok: true,
      op: 'get',
      server: '127.0.0.1:69',
      remote: 'a',
      local: '/tmp/a',
      mode: 'octet',
      bytes: 2048,
      blocks: 4,
      retransmits: 0,
      durationMs: 500,
      rate: 4096,
      options: { blksize: 512, tsize: 2048 },
    });
    expect(summaryLine('get', 'a', { bytes: 2048, durationMs: 500 })).toBe(
      'received a: 2.00 KiB (2048 bytes) in 0.50 s, 4.00 KiB/s',
    );
    expect(summaryLine('put', 'b', { bytes: 10, durationMs: 0, retransmits: 2 })).toBe(
      'sent b: 10 bytes in 0.00 s, 2 retransmitted',
    );
  });

  it('optionsReport takes pairs, maps and records', () => {
    expect(optionsReport(undefined)).toEqual({});
    expect(optionsReport(new Map([['BLKSIZE', '1468']]))).toEqual({ blksize: 1468 });
    expect(optionsReport({ windowsize: 16, x: 'y' })).toEqual({ windowsize: 16, x: 'y' });
  });
});

describe('serve log', () => {
  const base = {
    op: 'read',
    filename: 'boot.img',
    mode: 'octet',
    remote: { address: '127.0.0.1', port: 40000 },
    bytes: 1048576,
    blocks: 2048,
    retransmits: 0,
    durationMs: 125,
    options: { blksize: 512 },
  };

  it('a successful transfer', () => {
    const r = servedTransferReport(base);
    expect(r).toMatchObject({ event: 'transfer', ok: true, client: '127.0.0.1:40000', rate: 8388608 });
    expect(servedTransferLine(r)).toBe(
      '127.0.0.1:40000 read "boot.img" ok: 1.00 MiB in 0.13 s, 8.00 MiB/s [blksize=512]',
    );
  });

  it('a refusal names the ERROR sent; already-sanitised text is not escaped twice', () => {
    const error = new TftpTransferError('aborted', 'error 1 (file not found): File not found.', { tftpCode: 1 });
    const r = servedTransferReport({ ...base, filename: 'a\\\\b…', bytes: 0, options: {}, error });
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ tftpCode: 1 });
    expect(servedTransferLine(r)).toBe('127.0.0.1:40000 read "a\\\\b…" failed: refused with error 1 (file not found)');
    const denied = new TftpTransferError('aborted', 'error 2 (access violation): writes are not allowed', {
      tftpCode: 2,
    });
    expect(servedTransferLine(servedTransferReport({ ...base, op: 'write', bytes: 0, error: denied }))).toBe(
      '127.0.0.1:40000 write "boot.img" failed: refused with error 2 (access violation): writes are not allowed',
    );
    const stopped = new TftpTransferError('aborted', 'server closing', { tftpCode: 0 });
    expect(servedTransferLine(servedTransferReport({ ...base, bytes: 512, error: stopped }))).toBe(
      '127.0.0.1:40000 read "boot.img" failed after 512 B: aborted (sent error 0 (not defined)): server closing',
    );
  });

  it('terminalSafe escapes controls and bidi only', () => {
    expect(terminalSafe('a\x1b[2Jb\u202ec\\d…')).toBe('a\\x1b[2Jb\\u202ec\\d…');
  });
});

describe('progress', () => {
  it('draws at most every interval and clears the line at the end', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ stream: { write: (s) => out.push(s) }, label: 'f.bin', now: () => t, columns: 80 });
    p.update({ bytes: 0, total: 1000 });
    t = 50;
    p.update({ bytes: 100, total: 1000 });
    expect(out).toHaveLength(1);
    t = 1000;
    p.update({ bytes: 500, total: 1000 });
    expect(out).toHaveLength(2);
    expect(out[1]).toMatch(/^\rf\.bin \[#+ +\] {3}50% {2}500 B \/ 1000 B {2}500 B\/s {2}ETA 1 s\x1b\[K$/);
    p.done();
    p.done();
    p.update({ bytes: 1000, total: 1000 });
    expect(out).toHaveLength(3);
    expect(out[2]).toBe('\r\x1b[K');
  });

  it('without a total: bytes and rate only; always fits the width', () => {
    expect(progressLine('x', 2048, undefined, 1024, 80)).toBe('x  2.00 KiB  1.00 KiB/s');
    const long = progressLine('a-very-long-file-name-that-goes-on-and-on.img', 5e8, 1e9, 1e7, 40);
    expect(long.length).toBeLessThanOrEqual(39);
    expect(long).toContain('50%');
  });

  it('a progress that never drew clears nothing', () => {
    const out: string[] = [];
    createProgress({ stream: { write: (s) => out.push(s) }, label: 'x' }).done();
    expect(out).toEqual([]);
  });
});
