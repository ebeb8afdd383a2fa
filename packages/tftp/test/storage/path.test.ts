import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInsideRoot, resolveTftpFilename } from '../../src/index.js';

const ok = (name: string, policy?: Parameters<typeof resolveTftpFilename>[1]) => {
  const r = resolveTftpFilename(name, policy);
  if (!r.ok) throw new Error(`refused ${JSON.stringify(name)}: ${r.reason}`);
  return r.path;
};
const reason = (name: string, policy?: Parameters<typeof resolveTftpFilename>[1]) => {
  const r = resolveTftpFilename(name, policy);
  return r.ok ? `accepted as ${r.path}` : r.reason;
};

describe('resolveTftpFilename', () => {
  it('accepts plain and nested names', () => {
    expect(ok('pxelinux.0')).toBe('pxelinux.0');
    expect(ok('boot/grub/grub.cfg')).toBe('boot/grub/grub.cfg');
    expect(ok('a b.txt')).toBe('a b.txt');
    expect(ok('...hidden')).toBe('...hidden');
    expect(ok('a..b')).toBe('a..b');
    expect(ok('..a')).toBe('..a');
    expect(ok('ünïcode.bin')).toBe('ünïcode.bin');
  });

  it('drops empty and "." segments', () => {
    expect(ok('a//b')).toBe('a/b');
    expect(ok('./a/./b/')).toBe('a/b');
  });

  it('reads absolute names relative to the root by default (tftp-hpa -s)', () => {
    expect(ok('/boot/x')).toBe('boot/x');
    expect(ok('///etc/passwd')).toBe('etc/passwd');
    expect(ok('\\boot\\x')).toBe('boot/x');
  });

  it("refuses absolute names with absolute: 'refuse'", () => {
    expect(reason('/boot/x', { absolute: 'refuse' })).toBe('absolute');
    expect(reason('\\boot\\x', { absolute: 'refuse' })).toBe('absolute');
    expect(ok('boot/x', { absolute: 'refuse' })).toBe('boot/x');
  });

  it('maps backslashes to slashes by default, or keeps them literal', () => {
    expect(ok('boot\\pxe\\x.efi')).toBe('boot/pxe/x.efi');
    expect(ok('a\\b', { backslash: 'literal' })).toBe('a\\b');
  });

  it.each([
    '..',
    '../',
    '../x',
    '/../x',
    'a/..',
    'a/../..',
    'a/../b', // refused even though it would stay inside
    'a/b/../../../etc/passwd',
    '..\\',
    '..\\..\\windows\\win.ini',
    'a\\..\\..\\x',
    '/..',
    '....',
    '...',
    '.. ',
    ' ..',
    'a/. ./b',
    '   ',
  ])('refuses the traversal form %j', (name) => {
    expect(reason(name)).toBe('dot-dot');
  });

  it('with literal backslashes, "..\\" is one harmless segment', () => {
    expect(ok('..\\x', { backslash: 'literal' })).toBe('..\\x');
  });

  it('does not decode percent-encoding: %2e%2e is a literal name', () => {
    expect(ok('%2e%2e/%2e%2e/etc/passwd')).toBe('%2e%2e/%2e%2e/etc/passwd');
    expect(ok('..%2f..%2fetc')).toBe('..%2f..%2fetc');
    expect(ok('%2E%2E')).toBe('%2E%2E');
  });

  it.each(['a\0b', '\0', 'a\nb', 'a\rb', '\tx', 'x\x1b[31m', 'x\x7f', 'x\u0085', 'x\u009f', 'a\0/../../etc'])(
    'refuses NUL and control characters in %j',
    (name) => {
      expect(reason(name)).toBe('control-character');
    },
  );

  it.each(['', '/', '//', '.', './', '/./', '\\'])('refuses the empty name %j', (name) => {
    expect(reason(name)).toBe('empty');
  });

  it('refuses Windows drive prefixes', () => {
    expect(reason('C:\\Windows\\x')).toBe('drive-letter');
    expect(reason('c:x')).toBe('drive-letter');
    expect(reason('/C:/x')).toBe('drive-letter');
    expect(ok('dir/c:x')).toBe('dir/c:x');
  });

  it('bounds the length of the name and of each segment', () => {
    const long = Array.from({ length: 5 }, () => 'a'.repeat(200)).join('/'); // 1004 characters
    expect(ok(long)).toBe(long);
    expect(reason('a/'.repeat(513))).toBe('too-long');
    expect(reason('a'.repeat(256))).toBe('too-long');
    expect(ok('a'.repeat(255))).toBe('a'.repeat(255));
    expect(reason('é'.repeat(128))).toBe('too-long'); // 256 bytes in UTF-8
    expect(reason('abcd', { maxLength: 3 })).toBe('too-long');
    expect(reason('abcd', { maxSegmentBytes: 3 })).toBe('too-long');
  });

  it('gives a message without echoing the name', () => {
    const r = resolveTftpFilename('../secret');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).not.toContain('secret');
  });
});

describe('isInsideRoot', () => {
  it('is separator-aware: prefix siblings are outside', () => {
    expect(isInsideRoot('/srv/tftp', '/srv/tftp/a')).toBe(true);
    expect(isInsideRoot('/srv/tftp', '/srv/tftp')).toBe(true);
    expect(isInsideRoot('/srv/tftp/', '/srv/tftp/a/b')).toBe(true);
    expect(isInsideRoot('/srv/tftp', '/srv/tftp-private/a')).toBe(false);
    expect(isInsideRoot('/srv/tftp', '/srv/tftpx')).toBe(false);
    expect(isInsideRoot('/srv/tftp', '/srv')).toBe(false);
    expect(isInsideRoot('/srv/tftp', '/srv/tftp/../tftp-private')).toBe(false);
  });

  it('handles / as the root', () => {
    expect(isInsideRoot('/', '/etc/passwd')).toBe(true);
  });

  it('works with posix and win32 path rules', () => {
    expect(isInsideRoot('/srv/tftp', '/srv/tftp/x', posix)).toBe(true);
    expect(isInsideRoot('C:\\tftp', 'C:\\tftp\\x', win32)).toBe(true);
    expect(isInsideRoot('C:\\tftp', 'C:\\tftp-private\\x', win32)).toBe(false);
    expect(isInsideRoot('C:\\tftp', 'D:\\tftp\\x', win32)).toBe(false);
  });
});
