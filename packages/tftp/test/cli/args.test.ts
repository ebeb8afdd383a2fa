import { describe, expect, it } from 'vitest';
import { type CliArgs, parseArgs } from '../../src/cli/args.js';
import { GET_USAGE, PUT_USAGE, SERVE_USAGE, TOP_USAGE, usageText } from '../../src/cli/usage.js';

const p = (line: string | string[]) => parseArgs(typeof line === 'string' ? line.split(' ').filter(Boolean) : line);
const err = (line: string | string[]) => {
  const r = p(line);
  if (r.kind !== 'usage-error') throw new Error(`expected a usage error, got ${JSON.stringify(r)}`);
  return r.message;
};
function as<K extends CliArgs['kind']>(r: CliArgs, kind: K): Extract<CliArgs, { kind: K }> {
  if (r.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(r)}`);
  return r as Extract<CliArgs, { kind: K }>;
}
const get = (line: string | string[]) => as(p(line), 'get');
const put = (line: string | string[]) => as(p(line), 'put');
const serve = (line: string | string[]) => as(p(line), 'serve');

describe('help', () => {
  it.each([
    ['--help', TOP_USAGE],
    ['-h', TOP_USAGE],
    ['help', TOP_USAGE],
    ['help get', GET_USAGE],
    ['help put', PUT_USAGE],
    ['help serve', SERVE_USAGE],
    ['get --help', GET_USAGE],
    ['get -h', GET_USAGE],
    ['put --help', PUT_USAGE],
    ['serve -h', SERVE_USAGE],
    ['--help serve', SERVE_USAGE],
    ['get host file --help', GET_USAGE],
    ['get --bogus --help', GET_USAGE], // help wins over usage errors
    ['serve --port nope -h', SERVE_USAGE],
    ['frobnicate --help', TOP_USAGE],
  ])('%s', (line, text) => {
    expect(p(line)).toEqual({ kind: 'help', text });
  });

  it('--help after -- is an argument, not help', () => {
    expect(get('get host -- --help').remote).toBe('--help');
  });

  it('help of an unknown command is a usage error', () => {
    expect(err('help fetch')).toBe("unknown command 'fetch'");
    expect(err('help get put')).toBe("unexpected argument 'put'");
    expect(err('get --help=yes')).toBe('option --help does not take a value');
  });

  it('usage texts mention every command and flag', () => {
    for (const c of ['get', 'put', 'serve', 'tftp://']) expect(TOP_USAGE).toContain(c);
    for (const f of [
      '--blksize',
      '--windowsize',
      '--timeout',
      '--utimeout',
      '--no-tsize',
      '--no-options',
      '--mode',
      '--retries',
      '--busy-poll',
      '--json',
      '--quiet',
    ]) {
      expect(GET_USAGE).toContain(f);
      expect(PUT_USAGE).toContain(f);
    }
    for (const f of [
      '--host',
      '--port ',
      '--allow-write',
      '--allow-create',
      '--allow-overwrite',
      '--max-file-size',
      '--max-transfers',
      '--max-blksize',
      '--max-windowsize',
      '--no-options',
      '--port-range',
      '--busy-poll',
      '--json',
      '--quiet',
    ]) {
      expect(SERVE_USAGE).toContain(f);
    }
    expect(usageText()).toBe(TOP_USAGE);
  });
});

describe('commands', () => {
  it('missing and unknown commands', () => {
    expect(p([])).toEqual({ kind: 'usage-error', message: 'missing command' });
    expect(err('fetch host file')).toBe("unknown command 'fetch'");
    expect(err('GET host file')).toBe("unknown command 'GET'");
    expect(err('--frob')).toBe("unknown option '--frob'");
  });

  it('usage errors name the command they belong to', () => {
    expect(p('get')).toMatchObject({ kind: 'usage-error', command: 'get' });
    expect(p('serve')).toMatchObject({ kind: 'usage-error', command: 'serve' });
  });
});

describe('get', () => {
  it('HOST REMOTE with defaults', () => {
    expect(get('get 127.0.0.1 boot/pxelinux.0')).toEqual({
      kind: 'get',
      host: '127.0.0.1',
      port: 69,
      remote: 'boot/pxelinux.0',
      local: 'pxelinux.0',
      overwrite: false,
      mode: 'octet',
      tsize: true,
      noOptions: false,
      json: false,
      quiet: false,
    });
  });

  it('HOST:PORT REMOTE LOCAL', () => {
    expect(get('get 127.0.0.1:6969 a.bin b.bin')).toMatchObject({
      host: '127.0.0.1',
      port: 6969,
      remote: 'a.bin',
      local: 'b.bin',
    });
    expect(get('get example.org:1 x')).toMatchObject({ host: 'example.org', port: 1 });
    expect(get('get localhost:65535 x')).toMatchObject({ host: 'localhost', port: 65535 });
  });

  it('IPv6 hosts: bracketed with or without a port, or bare without one', () => {
    expect(get('get [::1]:6969 x')).toMatchObject({ host: '::1', port: 6969 });
    expect(get('get [::1] x')).toMatchObject({ host: '::1', port: 69 });
    expect(get('get ::1 x')).toMatchObject({ host: '::1', port: 69 });
    expect(get('get fe80::1%eth0 x')).toMatchObject({ host: 'fe80::1%eth0', port: 69 });
    expect(get('get [2001:db8::2]:69 x')).toMatchObject({ host: '2001:db8::2' });
    expect(err('get [::1 x')).toBe("bad host '[::1': missing ']'");
    expect(err('get [nothost]:69 x')).toBe("bad IPv6 address 'nothost'");
    expect(err('get [::1]x x')).toBe("bad host '[::1]x'");
    expect(err('get a:b:c x')).toBe("bad host 'a:b:c'");
  });

  it('bad ports and hosts', () => {
    expect(err('get host:0 x')).toBe("bad port in 'host:0': '0' (expected 1 to 65535)");
    expect(err('get host:65536 x')).toBe("bad port in 'host:65536': '65536' (expected 1 to 65535)");
    expect(err('get host: x')).toBe("bad port in 'host:': '' (expected 1 to 65535)");
    expect(err('get host:abc x')).toContain('bad port');
    expect(err('get host:+69 x')).toContain('bad port');
    expect(err('get :69 x')).toBe("missing host in ':69'");
    expect(err(['get', '', 'x'])).toBe('missing host');
    expect(err(['get', 'a b', 'x'])).toBe("bad host 'a b'");
    expect(err(['get', 'user@host', 'x'])).toBe("bad host 'user@host'");
  });

  it('LOCAL defaults to the base name of REMOTE, with / or \\ separators', () => {
    expect(get('get h a/b/c.txt').local).toBe('c.txt');
    expect(get('get h /abs/x.img').local).toBe('x.img');
    expect(get(['get', 'h', 'boot\\grub\\grub.cfg']).local).toBe('grub.cfg');
    expect(get('get h plain').local).toBe('plain');
  });

  it('refuses a LOCAL name it cannot derive', () => {
    expect(err('get h dir/')).toBe("cannot name the local file after 'dir/'; give LOCAL");
    expect(err('get h ..')).toBe("cannot name the local file after '..'; give LOCAL");
    expect(err('get h a/.')).toBe("cannot name the local file after 'a/.'; give LOCAL");
    expect(err('get h /')).toBe("cannot name the local file after '/'; give LOCAL");
    expect(get('get h dir/ out').local).toBe('out');
  });

  it('LOCAL - is stdout, but not with --json', () => {
    expect(get('get h x -').local).toBe('-');
    expect(err('get h x - --json')).toBe('--json cannot be used with LOCAL - (stdout carries the file)');
  });

  it('missing and extra arguments', () => {
    expect(err('get')).toBe('missing argument HOST[:PORT] (or a tftp:// URL)');
    expect(err('get h')).toBe('missing argument REMOTE');
    expect(err('get h a b c')).toBe("unexpected argument 'c'");
    expect(err(['get', 'h', ''])).toBe('empty REMOTE file name');
    expect(err(['get', 'h', 'x', ''])).toBe('empty LOCAL file name');
    expect(err(['get', 'h', 'a\0b'])).toBe("control character in REMOTE 'a\\x00b'");
  });

  it('flags before, between and after the positionals', () => {
    const want = { host: 'h', port: 6969, remote: 'a.bin', local: 'b.bin', blksize: 1468 };
    expect(get('get 127.0.0.1:6969 a.bin b.bin --blksize 1468')).toMatchObject({ ...want, host: '127.0.0.1' });
    expect(get('get --blksize 1468 h:6969 a.bin b.bin')).toMatchObject(want);
    expect(get('get h:6969 --blksize=1468 a.bin b.bin')).toMatchObject(want);
    expect(get('--blksize 1468 get h:6969 a.bin b.bin')).toMatchObject(want);
  });

  it('every transfer flag', () => {
    expect(
      get('get h x --blksize 8 --windowsize 16 --timeout 255 --tsize --mode netascii --retries 0 --json --quiet'),
    ).toEqual({
      kind: 'get',
      host: 'h',
      port: 69,
      remote: 'x',
      local: 'x',
      overwrite: false,
      mode: 'netascii',
      blksize: 8,
      windowsize: 16,
      timeout: 255,
      tsize: true,
      noOptions: false,
      retries: 0,
      json: true,
      quiet: true,
    });
    expect(get('get h x --mode=OCTET').mode).toBe('octet');
  });

  it('--busy-poll takes microseconds, 0-1000000, for get, put and serve', () => {
    expect(get('get h x --busy-poll 150').busyPoll).toBe(150);
    expect(get('get h x --busy-poll=0').busyPoll).toBe(0);
    expect(get('get h x').busyPoll).toBeUndefined();
    expect(put('put h a --busy-poll 1000000').busyPoll).toBe(1_000_000);
    expect(serve('serve r --busy-poll 100').busyPoll).toBe(100);
    expect(err('get h x --busy-poll 1000001')).toBe(
      "bad value for --busy-poll: '1000001' (expected an integer from 0 to 1000000)",
    );
    expect(err('serve r --busy-poll -1')).toBe(
      "bad value for --busy-poll: '-1' (expected an integer from 0 to 1000000)",
    );
    expect(err('serve r --busy-poll')).toBe('option --busy-poll needs a value');
  });

  it('--utimeout takes microseconds, 10000-255000000, for get and put (not serve)', () => {
    expect(get('get h x --utimeout 10000').utimeout).toBe(10_000);
    expect(get('get h x --utimeout=255000000').utimeout).toBe(255_000_000);
    expect(get('get h x').utimeout).toBeUndefined();
    expect(put('put h a --utimeout 500000 --timeout 2')).toMatchObject({ utimeout: 500_000, timeout: 2 });
    expect(err('put h a --utimeout')).toBe('option --utimeout needs a value');
    expect(err('serve r --utimeout 10000')).toBe('option --utimeout does not apply to serve');
    expect(err('get h x --no-options --utimeout 10000')).toBe('--no-options cannot be used with --utimeout');
  });

  it('the last of a repeated flag wins', () => {
    expect(get('get h x --blksize 512 --blksize=1024').blksize).toBe(1024);
  });

  it.each([
    ['--blksize 7', "bad value for --blksize: '7' (expected an integer from 8 to 65464)"],
    ['--blksize 65465', "bad value for --blksize: '65465' (expected an integer from 8 to 65464)"],
    ['--blksize 1e3', "bad value for --blksize: '1e3' (expected an integer from 8 to 65464)"],
    ['--blksize 0x200', "bad value for --blksize: '0x200' (expected an integer from 8 to 65464)"],
    ['--blksize=', "bad value for --blksize: '' (expected an integer from 8 to 65464)"],
    ['--blksize 512.5', "bad value for --blksize: '512.5' (expected an integer from 8 to 65464)"],
    ['--windowsize 0', "bad value for --windowsize: '0' (expected an integer from 1 to 65535)"],
    ['--windowsize 65536', "bad value for --windowsize: '65536' (expected an integer from 1 to 65535)"],
    ['--timeout 0', "bad value for --timeout: '0' (expected an integer from 1 to 255)"],
    ['--timeout 256', "bad value for --timeout: '256' (expected an integer from 1 to 255)"],
    ['--timeout -1', "bad value for --timeout: '-1' (expected an integer from 1 to 255)"],
    ['--utimeout 9999', "bad value for --utimeout: '9999' (expected an integer from 10000 to 255000000)"],
    ['--utimeout 255000001', "bad value for --utimeout: '255000001' (expected an integer from 10000 to 255000000)"],
    ['--utimeout 0', "bad value for --utimeout: '0' (expected an integer from 10000 to 255000000)"],
    ['--utimeout 1e5', "bad value for --utimeout: '1e5' (expected an integer from 10000 to 255000000)"],
    ['--utimeout 20000.5', "bad value for --utimeout: '20000.5' (expected an integer from 10000 to 255000000)"],
    ['--retries 101', "bad value for --retries: '101' (expected an integer from 0 to 100)"],
    ['--mode mail', "bad value for --mode: 'mail' (expected octet or netascii)"],
    ['--mode', 'option --mode needs a value'],
    ['--blksize --json', 'option --blksize needs a value'],
    ['--tsize=1', 'option --tsize does not take a value'],
    ['--json=true', 'option --json does not take a value'],
    ['--bogus', "unknown option '--bogus'"],
    ['--bogus=1', "unknown option '--bogus'"],
    ['-x', "unknown option '-x'"],
    ['--port 69', 'option --port does not apply to get'],
    ['--allow-write', 'option --allow-write does not apply to get'],
    ['--toString', "unknown option '--toString'"],
    ['--__proto__', "unknown option '--__proto__'"],
  ])('get h x %s → %s', (flags, message) => {
    expect(err(`get h x ${flags}`)).toBe(message);
  });

  it('tsize is on unless --no-tsize; --no-options sends a plain request', () => {
    expect(get('get h x').tsize).toBe(true);
    expect(get('get h x --tsize').tsize).toBe(true);
    expect(get('get h x --no-tsize').tsize).toBe(false);
    expect(put('put h x --no-tsize').tsize).toBe(false);
    expect(get('get h x --no-options')).toMatchObject({ noOptions: true });
    expect(put('put h x --no-options')).toMatchObject({ noOptions: true });
    expect(err('get h x --tsize --no-tsize')).toBe('--tsize and --no-tsize contradict each other');
    expect(err('get h x --no-options --blksize 1468')).toBe('--no-options cannot be used with --blksize');
    expect(err('put h x --windowsize 4 --no-options')).toBe('--no-options cannot be used with --windowsize');
    expect(err('get h x --no-options --tsize')).toBe('--no-options cannot be used with --tsize');
    expect(get('get h x --no-options --no-tsize')).toMatchObject({ noOptions: true, tsize: false });
    expect(err('serve r --no-tsize')).toBe('option --no-tsize does not apply to serve');
  });

  it('accepts leading zeros as decimal', () => {
    expect(get('get h x --blksize 01468').blksize).toBe(1468);
  });

  it('--force and --overwrite allow replacing LOCAL (get only)', () => {
    expect(get('get h x').overwrite).toBe(false);
    expect(get('get h x --force').overwrite).toBe(true);
    expect(get('get h x out --overwrite').overwrite).toBe(true);
    expect(get('get --force tftp://h/x').overwrite).toBe(true);
    expect(err('get h x --force=yes')).toBe('option --force does not take a value');
    expect(err('put h x --force')).toBe('option --force does not apply to put');
    expect(err('serve /srv --overwrite')).toBe('option --overwrite does not apply to serve');
    expect(GET_USAGE).toContain('--force, --overwrite');
    expect(PUT_USAGE).not.toContain('--force');
  });

  it('-- ends the options', () => {
    expect(get('get h -- --weird-name').remote).toBe('--weird-name');
    expect(get('get --json h -- -x out').local).toBe('out');
    expect(get('get h -- -x').local).toBe('-x');
  });
});

describe('tftp:// URLs (RFC 3617)', () => {
  it('replace HOST[:PORT] REMOTE', () => {
    expect(get('get tftp://127.0.0.1:6969/boot/pxelinux.0')).toMatchObject({
      host: '127.0.0.1',
      port: 6969,
      remote: 'boot/pxelinux.0',
      local: 'pxelinux.0',
      overwrite: false,
      mode: 'octet',
    });
    expect(get('get tftp://h/x out')).toMatchObject({ host: 'h', port: 69, remote: 'x', local: 'out' });
    expect(get('get TFTP://h/x').remote).toBe('x');
  });

  it('IPv6 in brackets', () => {
    expect(get('get tftp://[::1]:69/x')).toMatchObject({ host: '::1', port: 69 });
    expect(get('get tftp://[::1]/x')).toMatchObject({ host: '::1', port: 69 });
    expect(err('get tftp://::1/x')).toBe("bad host '::1': write IPv6 addresses in a URL as [ADDRESS]");
  });

  it('the ;mode= parameter', () => {
    expect(get('get tftp://h/x;mode=netascii').mode).toBe('netascii');
    expect(get('get tftp://h/x;mode=octet').mode).toBe('octet');
    expect(get('get tftp://h/x;MODE=NetASCII').mode).toBe('netascii');
    expect(get('get tftp://h/x;mode=netascii --mode netascii').mode).toBe('netascii');
    expect(get('get tftp://h/x;mode=netascii').remote).toBe('x');
    expect(err('get tftp://h/x;mode=mail')).toBe("bad mode 'mail' in tftp URL (expected octet or netascii)");
    expect(err('get tftp://h/x;type=i')).toBe("unsupported parameter ';type=i' in tftp URL (only ;mode=)");
    expect(err('get tftp://h/x;mode=octet --mode netascii')).toBe(
      'conflicting modes: the URL says octet, --mode says netascii',
    );
  });

  it('percent-decodes the file', () => {
    expect(get('get tftp://h/a%20b.txt').remote).toBe('a b.txt');
    expect(get('get tftp://h/a%3Bb').remote).toBe('a;b');
    expect(get('get tftp://h/dir%2Ffile').remote).toBe('dir/file');
    expect(get('get tftp://h/%2e%2e/x').remote).toBe('../x'); // the server's policy decides
    expect(get('get tftp://h/%7Euser').remote).toBe('~user');
  });

  it('TFTP file names are ASCII on the wire: other characters are a usage error', () => {
    expect(err('get tftp://h/%C3%A9t%C3%A9')).toBe("the file of the URL must be ASCII: 'été'");
    expect(err('get h café')).toBe("REMOTE must be ASCII: 'café'");
    expect(err('put h local.bin café')).toBe("REMOTE must be ASCII: 'café'");
    expect(err('put h ./dir/café')).toBe("REMOTE must be ASCII: 'café'");
    expect(err('put tftp://h/%C3%A9 x')).toBe("the file of the URL must be ASCII: 'é'");
    expect(get('get h plain.txt café').local).toBe('café'); // LOCAL may be anything
  });

  it('keeps a second slash: tftp://h//abs names /abs', () => {
    expect(get('get tftp://h//srv/x').remote).toBe('/srv/x');
  });

  it('refuses bad URLs precisely', () => {
    expect(err('get tftp://h/')).toBe("missing file in 'tftp://h/'");
    expect(err('get tftp://h')).toBe("missing file in 'tftp://h'");
    expect(err('get tftp:///x')).toBe('missing host');
    expect(err('get tftp://user@h/x')).toBe("user information is not allowed in a tftp URL: 'tftp://user@h/x'");
    expect(err('get tftp://h:0/x')).toContain('bad port');
    expect(err('get tftp://h/a%zz')).toBe("bad percent-encoding in 'tftp://h/a%zz'");
    expect(err('get tftp://h/a%2')).toBe("bad percent-encoding in 'tftp://h/a%2'");
    expect(err('get tftp://h/%ff')).toBe("bad percent-encoding in 'tftp://h/%ff' (not UTF-8)");
    expect(err('get tftp://h/a%00b')).toBe("control character in the file name of 'tftp://h/a%00b'");
    expect(err('get tftp://h/a?b')).toBe("unexpected '?' in tftp URL 'tftp://h/a?b' (write it as %3F)");
    expect(err('get tftp://h/a#b')).toBe("unexpected '#' in tftp URL 'tftp://h/a#b' (write it as %23)");
    expect(err('get tftp://h/x out extra')).toBe("unexpected argument 'extra'");
  });

  it('a URL whose file cannot name LOCAL', () => {
    expect(err('get tftp://h/dir/')).toBe("cannot name the local file after 'dir/'; give LOCAL");
  });
});

describe('put', () => {
  it('HOST LOCAL with REMOTE defaulting to the local base name', () => {
    expect(put('put 127.0.0.1:6969 ./build/out.bin')).toEqual({
      kind: 'put',
      host: '127.0.0.1',
      port: 6969,
      local: './build/out.bin',
      remote: 'out.bin',
      mode: 'octet',
      tsize: true,
      noOptions: false,
      json: false,
      quiet: false,
    });
    expect(put('put h dir/sub/').remote).toBe('sub');
  });

  it('HOST LOCAL REMOTE', () => {
    expect(put('put h a.bin up/b.bin --tsize')).toMatchObject({ local: 'a.bin', remote: 'up/b.bin', tsize: true });
  });

  it('LOCAL - reads stdin and then needs REMOTE', () => {
    expect(put('put h - name.bin').local).toBe('-');
    expect(err('put h -')).toBe('put from stdin (LOCAL -) needs REMOTE');
    expect(put('put h - name --json').json).toBe(true);
  });

  it('a URL stands for HOST and REMOTE', () => {
    expect(put('put tftp://[::1]:6969/up/x.bin;mode=netascii local.txt')).toMatchObject({
      host: '::1',
      port: 6969,
      remote: 'up/x.bin',
      local: 'local.txt',
      mode: 'netascii',
    });
    expect(put('put tftp://h/ dir/local.txt').remote).toBe('local.txt');
    expect(put('put tftp://h dir/local.txt').remote).toBe('local.txt');
    expect(err('put tftp://h/x')).toBe('missing argument LOCAL');
    expect(err('put tftp://h/ -')).toBe('put from stdin (LOCAL -) needs REMOTE');
    expect(err('put tftp://h/x a b')).toBe("unexpected argument 'b'");
  });

  it('missing, empty and extra arguments', () => {
    expect(err('put')).toBe('missing argument HOST[:PORT] (or a tftp:// URL)');
    expect(err('put h')).toBe('missing argument LOCAL');
    expect(err('put h a b c')).toBe("unexpected argument 'c'");
    expect(err(['put', 'h', ''])).toBe('empty LOCAL file name');
    expect(err(['put', 'h', 'a', ''])).toBe('empty REMOTE file name');
    expect(err('put h ..')).toBe("cannot name the remote file after '..'; give REMOTE");
    expect(err('put h /')).toBe("cannot name the remote file after '/'; give REMOTE");
  });

  it('takes the transfer flags and refuses the serve ones', () => {
    expect(put('put --windowsize 8 h a --timeout 3 --utimeout 30000 --retries 9 --quiet')).toMatchObject({
      windowsize: 8,
      timeout: 3,
      utimeout: 30_000,
      retries: 9,
      quiet: true,
    });
    expect(err('put h a --max-file-size 1')).toBe('option --max-file-size does not apply to put');
  });
});

describe('serve', () => {
  it('ROOT with defaults', () => {
    expect(serve('serve /srv/tftp')).toEqual({
      kind: 'serve',
      root: '/srv/tftp',
      port: 69,
      allowWrite: false,
      allowCreate: false,
      allowOverwrite: false,
      noOptions: false,
      json: false,
      quiet: false,
    });
  });

  it('every serve flag', () => {
    expect(
      serve(
        'serve root --host 127.0.0.1 --port 0 --allow-write --allow-create --allow-overwrite --max-file-size 32M ' +
          '--max-transfers 10 --max-blksize 1468 --max-windowsize 16 --no-options --port-range 50000-50100 --json --quiet',
      ),
    ).toEqual({
      kind: 'serve',
      root: 'root',
      host: '127.0.0.1',
      port: 0,
      allowWrite: true,
      allowCreate: true,
      allowOverwrite: true,
      maxFileSize: 32 * 1024 * 1024,
      maxTransfers: 10,
      maxBlksize: 1468,
      maxWindowsize: 16,
      noOptions: true,
      portRange: { from: 50000, to: 50100 },
      json: true,
      quiet: true,
    });
  });

  it('--allow-create and --allow-overwrite imply --allow-write; alone --allow-write allows no kind of write', () => {
    expect(serve('serve r --allow-create')).toMatchObject({
      allowWrite: true,
      allowCreate: true,
      allowOverwrite: false,
    });
    expect(serve('serve r --allow-overwrite')).toMatchObject({
      allowWrite: true,
      allowCreate: false,
      allowOverwrite: true,
    });
    expect(serve('serve r --allow-write')).toMatchObject({
      allowWrite: true,
      allowCreate: false,
      allowOverwrite: false,
    });
  });

  it('hosts', () => {
    expect('host' in serve('serve r')).toBe(false);
    expect(serve('serve r --host ::').host).toBe('::');
    expect(serve('serve r --host [::1]').host).toBe('::1');
    expect(serve('serve r --host=localhost').host).toBe('localhost');
    expect(err('serve r --host=')).toBe("bad value for --host: ''");
    expect(err('serve r --host :::1x')).toBe("bad value for --host: ':::1x'");
    expect(err(['serve', 'r', '--host', 'a b'])).toBe("bad value for --host: 'a b'");
  });

  it('sizes take K/M/G/T suffixes (1024-based)', () => {
    expect(serve('serve r --max-file-size 0').maxFileSize).toBe(0);
    expect(serve('serve r --max-file-size 1000').maxFileSize).toBe(1000);
    expect(serve('serve r --max-file-size 4k').maxFileSize).toBe(4096);
    expect(serve('serve r --max-file-size 2G').maxFileSize).toBe(2 * 1024 ** 3);
    expect(serve('serve r --max-file-size 1T').maxFileSize).toBe(1024 ** 4);
    for (const bad of ['1.5M', 'M', '-1', '1MB', '99999999999999999999']) {
      expect(err(`serve r --max-file-size ${bad}`)).toBe(
        `bad value for --max-file-size: '${bad}' (expected a size in bytes, e.g. 1048576 or 32M)`,
      );
    }
  });

  it.each([
    ['--port 65536', "bad value for --port: '65536' (expected an integer from 0 to 65535)"],
    ['--port -1', "bad value for --port: '-1' (expected an integer from 0 to 65535)"],
    ['--port', 'option --port needs a value'],
    ['--max-transfers 0', "bad value for --max-transfers: '0' (expected an integer from 1 to 65535)"],
    ['--max-blksize 7', "bad value for --max-blksize: '7' (expected an integer from 8 to 65464)"],
    ['--max-windowsize 0', "bad value for --max-windowsize: '0' (expected an integer from 1 to 65535)"],
    ['--port-range 5-4', "bad value for --port-range: '5-4' (expected A-B with 1 <= A <= B <= 65535)"],
    ['--port-range 0-4', "bad value for --port-range: '0-4' (expected A-B with 1 <= A <= B <= 65535)"],
    ['--port-range 1-65536', "bad value for --port-range: '1-65536' (expected A-B with 1 <= A <= B <= 65535)"],
    ['--port-range 100', "bad value for --port-range: '100' (expected A-B with 1 <= A <= B <= 65535)"],
    ['--no-options=1', 'option --no-options does not take a value'],
    ['--blksize 512', 'option --blksize does not apply to serve'],
    ['--tsize', 'option --tsize does not apply to serve'],
  ])('serve r %s → %s', (flags, message) => {
    expect(err(`serve r ${flags}`)).toBe(message);
  });

  it('a one-port range', () => {
    expect(serve('serve r --port-range 7000-7000').portRange).toEqual({ from: 7000, to: 7000 });
  });

  it('missing, empty and extra arguments', () => {
    expect(err('serve')).toBe('missing argument ROOT');
    expect(err(['serve', ''])).toBe('empty ROOT');
    expect(err('serve a b')).toBe("unexpected argument 'b'");
    expect(serve('serve --port 0 -- -dir').root).toBe('-dir');
  });
});

describe('messages quote user input safely', () => {
  it('escapes control characters and cuts long input', () => {
    expect(err(['frob\x1b[31m'])).toBe("unknown command 'frob\\x1b[31m'");
    const long = err(['x'.repeat(200)]);
    expect(long.length).toBeLessThan(120);
    expect(long).toContain('…');
  });
});
