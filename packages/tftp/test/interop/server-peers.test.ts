// Our server with real clients: tftp-hpa (plain RFC 1350, octet and netascii, a > 32 MiB file at
// 512 whose block numbers wrap), atftp (blksize, windowsize, tsize, timeout), curl
// (tsize/blksize/timeout; -T uploads). Byte-identical by sha256.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killAll, requirePeer, runPeer } from '@udpkit/peers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { netasciiEncode } from '../../src/index.js';
import { pattern, type Served, serve, sha256, tempDir, textWithLineEnds, writeFiles } from '../io/helpers.js';

const tftpHpa = requirePeer('tftp-hpa');
const atftp = requirePeer('atftp');
const curl = requirePeer('curl');

const FILES = {
  'empty.bin': new Uint8Array(0),
  'small.bin': pattern(1000, 1),
  'b512x4.bin': pattern(2048, 2),
  'b1468x3.bin': pattern(1468 * 3, 3),
  'medium.bin': pattern(1_500_000, 4),
  'text.txt': textWithLineEnds(2000),
};

let served: Served;
let root: Awaited<ReturnType<typeof tempDir>>;
let local: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  root = await tempDir();
  local = await tempDir('udpkit-tftp-local-');
  await writeFiles(root.dir, FILES);
  served = await serve({ root: root.dir, allowWrite: true, allowCreate: true, allowOverwrite: true });
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  await served.server.close({ force: true });
  await root.cleanup();
  await local.cleanup();
});

async function expectSame(localFile: string, name: keyof typeof FILES): Promise<void> {
  expect(sha256(await readFile(localFile)), name).toBe(sha256(FILES[name]));
}

describe.skipIf(!tftpHpa)('our server ↔ tftp-hpa client', () => {
  it('octet get of every size', async () => {
    for (const name of ['empty.bin', 'small.bin', 'b512x4.bin', 'medium.bin'] as const) {
      const out = join(local.dir, `hpa-${name}`);
      const r = await runPeer(tftpHpa!, ['127.0.0.1', String(served.port), '-m', 'octet', '-c', 'get', name, out]);
      expect(r.stderr + r.stdout, name).not.toMatch(/Error|error|timed out/i);
      await expectSame(out, name);
    }
  });

  it('netascii get (its default mode) delivers CR LF text the client turns back into LF', async () => {
    const out = join(local.dir, 'hpa-text.txt');
    const ended = served.nextEnd('text.txt');
    const r = await runPeer(tftpHpa!, ['127.0.0.1', String(served.port), '-c', 'get', 'text.txt', out]);
    expect(r.stderr + r.stdout).not.toMatch(/error/i);
    const end = await ended;
    expect(end.mode).toBe('netascii');
    expect(end.stats.bytes).toBe(netasciiEncode(FILES['text.txt']).length);
    await expectSame(out, 'text.txt');
  });

  it('octet and netascii put', async () => {
    const src = join(local.dir, 'hpa-up.bin');
    await writeFile(src, FILES['medium.bin']);
    let r = await runPeer(tftpHpa!, ['127.0.0.1', String(served.port), '-m', 'octet', '-c', 'put', src, 'hpa-up.bin']);
    expect(r.stderr + r.stdout).not.toMatch(/error/i);
    expect(sha256(await readFile(join(root.dir, 'hpa-up.bin')))).toBe(sha256(FILES['medium.bin']));
    const txt = join(local.dir, 'hpa-up.txt');
    await writeFile(txt, FILES['text.txt']);
    r = await runPeer(tftpHpa!, ['127.0.0.1', String(served.port), '-m', 'netascii', '-c', 'put', txt, 'hpa-up.txt']);
    expect(r.stderr + r.stdout).not.toMatch(/error/i);
    expect(sha256(await readFile(join(root.dir, 'hpa-up.txt')))).toBe(sha256(FILES['text.txt']));
  });

  it('reports our error text (file not found)', async () => {
    const r = await runPeer(tftpHpa!, [
      '127.0.0.1',
      String(served.port),
      '-m',
      'octet',
      '-c',
      'get',
      'nope',
      join(local.dir, 'nope'),
    ]);
    expect(r.stderr + r.stdout).toMatch(/File not found/);
  });
});

// 32 MiB + 1000 bytes at 512: 65538 blocks, so the block number wraps past 65535 to 0.
const BIG_SIZE = 32 * 1024 * 1024 + 1000;

describe.skipIf(!tftpHpa)('our server (busyPoll) ↔ tftp-hpa client: > 32 MiB at blksize 512', () => {
  let big: Served;
  let bigRoot: Awaited<ReturnType<typeof tempDir>>;
  const data = pattern(BIG_SIZE, 11);

  beforeAll(async () => {
    bigRoot = await tempDir();
    await writeFiles(bigRoot.dir, { 'big.bin': data });
    // busyPoll: lockstep 512 on loopback is about twice as fast polling (CI time).
    big = await serve({ root: bigRoot.dir, busyPoll: 200, allowWrite: true, allowCreate: true });
  });
  afterAll(async () => {
    await killAll();
    await big.server.close({ force: true });
    await bigRoot.cleanup();
  });

  it('octet get: byte-identical across the block-number wrap', async () => {
    const out = join(local.dir, 'hpa-big.bin');
    const ended = big.nextEnd('big.bin');
    const r = await runPeer(tftpHpa!, ['127.0.0.1', String(big.port), '-m', 'octet', '-c', 'get', 'big.bin', out], {
      timeoutMs: 110_000,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toMatch(/error|timed out/i);
    const end = await ended;
    expect(end.ok).toBe(true);
    expect(end.oack).toBeUndefined(); // tftp-hpa asks for no options by default: plain RFC 1350
    expect(end.stats.blocks).toBe(Math.floor(BIG_SIZE / 512) + 1);
    expect(end.stats.blocks).toBeGreaterThan(65535);
    expect(sha256(await readFile(out))).toBe(sha256(data));
  }, 120_000);
});

describe.skipIf(!atftp)('our server ↔ atftp client', () => {
  const opts = (...o: string[]) => o.flatMap((x) => ['--option', x]);

  it('get with blksize 1468, windowsize 16, tsize', async () => {
    const ended = served.nextEnd('medium.bin');
    const out = join(local.dir, 'atftp-medium.bin');
    const r = await runPeer(atftp!, [
      '--get',
      '-r',
      'medium.bin',
      '-l',
      out,
      ...opts('blksize 1468', 'windowsize 16', 'tsize 0'),
      '127.0.0.1',
      String(served.port),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await expectSame(out, 'medium.bin');
    const end = await ended;
    expect([...(end.oack ?? [])].sort()).toEqual([
      ['blksize', '1468'],
      ['tsize', '1500000'],
      ['windowsize', '16'],
    ]);
  });

  it('get with timeout and odd block sizes, exact multiples and empty files', async () => {
    for (const [name, blksize] of [
      ['b1468x3.bin', 1468],
      ['b512x4.bin', 512],
      ['empty.bin', 1024],
      ['small.bin', 8],
    ] as const) {
      const out = join(local.dir, `atftp-${name}`);
      const r = await runPeer(atftp!, [
        '--get',
        '-r',
        name,
        '-l',
        out,
        ...opts(`blksize ${blksize}`, 'timeout 2', 'windowsize 4'),
        '127.0.0.1',
        String(served.port),
      ]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      await expectSame(out, name);
    }
  });

  it('put with blksize, windowsize and tsize', async () => {
    const src = join(local.dir, 'atftp-up.bin');
    await writeFile(src, FILES['medium.bin']);
    const ended = served.nextEnd('atftp-up.bin');
    const r = await runPeer(atftp!, [
      '--put',
      '-l',
      src,
      '-r',
      'atftp-up.bin',
      ...opts('blksize 1468', 'windowsize 8', 'tsize 1500000'),
      '127.0.0.1',
      String(served.port),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(await readFile(join(root.dir, 'atftp-up.bin')))).toBe(sha256(FILES['medium.bin']));
    expect((await ended).ok).toBe(true);
  });

  it('put plain (no options)', async () => {
    const src = join(local.dir, 'atftp-up2.bin');
    await writeFile(src, FILES['b512x4.bin']);
    const r = await runPeer(atftp!, ['--put', '-l', src, '-r', 'atftp-up2.bin', '127.0.0.1', String(served.port)]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(await readFile(join(root.dir, 'atftp-up2.bin')))).toBe(sha256(FILES['b512x4.bin']));
  });
});

describe.skipIf(!curl)('our server ↔ curl', () => {
  it('get with --tftp-blksize (curl sends tsize, blksize, timeout)', async () => {
    const ended = served.nextEnd('medium.bin');
    const out = join(local.dir, 'curl-medium.bin');
    const r = await runPeer(curl!, [
      '-s',
      '-S',
      '--tftp-blksize',
      '1468',
      '-o',
      out,
      `tftp://127.0.0.1:${served.port}/medium.bin`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    await expectSame(out, 'medium.bin');
    const end = await ended;
    expect(end.oack?.find(([k]) => k === 'blksize')?.[1]).toBe('1468');
  });

  // (curl 7.88 fails on an empty file with "getpeername() failed" against tftpd-hpa too: not tested.)
  it('get of a missing file: curl exits 68 (TFTP file not found)', async () => {
    const r = await runPeer(curl!, [
      '-s',
      '-S',
      '-o',
      join(local.dir, 'x'),
      `tftp://127.0.0.1:${served.port}/missing.bin`,
    ]);
    expect(r.code).toBe(68);
  });

  it('put with -T', async () => {
    const src = join(local.dir, 'curl-up.bin');
    await writeFile(src, FILES['medium.bin']);
    const r = await runPeer(curl!, [
      '-s',
      '-S',
      '--tftp-blksize',
      '1024',
      '-T',
      src,
      `tftp://127.0.0.1:${served.port}/curl-up.bin`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(await readFile(join(root.dir, 'curl-up.bin')))).toBe(sha256(FILES['medium.bin']));
  });
});
