// Cross-package integration: our TFTP client and server through the fault relay, and against the
// real C peers (tftp-hpa, atftp, curl as clients; in.tftpd and atftpd as servers), every transfer
// compared by sha256. A missing peer skips its tests loudly (or fails with UDPKIT_REQUIRE_PEERS=1).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { requirePeer, runPeer, startAtftpd, startInTftpd } from '@udpkit/peers';
import { tftpGetBytes, tftpPut } from '@udpkit/tftp';
import { describe, expect, it } from 'vitest';
import { atftpGet, HOST, tftpHpaGet } from '../src/bench/peers.js';
import { seededBytes, sha256 } from '../src/content.js';
import { LOSSY, startRelay, startServer, tempDir } from './helpers.js';

const MiB = 1 << 20;

describe('our client and server through the fault relay (10% loss, 5% dup, 5% reorder)', () => {
  it('a 1 MiB get (1468×w8) and a 256 KiB put (512×w4) arrive byte-identical', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('udpkit-relay-');
    const file = seededBytes(MiB + 3, 31);
    const upload = seededBytes(256 * 1024 - 1, 32);
    await writeFile(join(dir.path, 'file.bin'), file);
    const server = await startServer({ root: dir.path, allowWrite: true, allowCreate: true, retries: 10 });
    const relay = await startRelay(server.endpoint, { seed: 41, ...LOSSY }, { seed: 42, ...LOSSY });
    try {
      const got = await tftpGetBytes(relay.endpoint, 'file.bin', {
        blksize: 1468,
        windowsize: 8,
        retries: 10,
        signal: AbortSignal.timeout(45_000),
      });
      expect(sha256(got)).toBe(sha256(file));
      await tftpPut(relay.endpoint, 'up.bin', upload, {
        windowsize: 4,
        retries: 10,
        signal: AbortSignal.timeout(45_000),
      });
      expect(sha256(await readFile(join(dir.path, 'up.bin')))).toBe(sha256(upload));
    } finally {
      await relay.close();
      await server.close();
    }
    expect(relay.counts.toClient.dropped).toBeGreaterThan(0);
    expect(relay.counts.toServer.duplicated + relay.counts.toClient.duplicated).toBeGreaterThan(0);
  });
});

const hpa = requirePeer('tftp-hpa');
const atftp = requirePeer('atftp');
const curl = requirePeer('curl');
const inTftpd = requirePeer('in.tftpd');
const atftpd = requirePeer('atftpd');

describe('C clients against our server', () => {
  const file = seededBytes(3 * MiB + 17, 51);

  it.skipIf(!hpa)(
    'tftp-hpa: octet lockstep, and netascii converted to local line ends',
    { timeout: 60_000 },
    async () => {
      await using dir = await tempDir('udpkit-hpa-');
      await writeFile(join(dir.path, 'f.bin'), file);
      const text = 'line one\nline two\n\nlast line\n'.repeat(500);
      await writeFile(join(dir.path, 't.txt'), text);
      const server = await startServer({ root: dir.path });
      try {
        const r = await tftpHpaGet(server.endpoint.port, 'f.bin', join(dir.path, 'got.bin'));
        expect(r.code).toBe(0);
        expect(sha256(await readFile(join(dir.path, 'got.bin')))).toBe(sha256(file));
        const t = await runPeer(hpa!, [
          HOST,
          String(server.endpoint.port),
          '-m',
          'netascii',
          '-c',
          'get',
          't.txt',
          join(dir.path, 'got.txt'),
        ]);
        expect(t.code).toBe(0);
        expect(await readFile(join(dir.path, 'got.txt'), 'utf8')).toBe(text);
      } finally {
        await server.close();
      }
    },
  );

  it.skipIf(!atftp)('atftp: 1468×w16 and 8192×w8', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('udpkit-atftp-');
    await writeFile(join(dir.path, 'f.bin'), file);
    const server = await startServer({ root: dir.path });
    try {
      for (const spec of [
        { blksize: 1468, windowsize: 16 },
        { blksize: 8192, windowsize: 8 },
      ]) {
        const out = join(dir.path, `got-${spec.blksize}.bin`);
        const r = await atftpGet(server.endpoint.port, 'f.bin', out, spec);
        expect(r.code, r.output).toBe(0);
        expect(sha256(await readFile(out))).toBe(sha256(file));
      }
    } finally {
      await server.close();
    }
  });

  it.skipIf(!hpa || !atftp)(
    'with busyPoll: tftp-hpa lockstep and atftp 1468×w16 byte-identical',
    { timeout: 60_000 },
    async () => {
      await using dir = await tempDir('udpkit-busypoll-');
      await writeFile(join(dir.path, 'f.bin'), file);
      const server = await startServer({ root: dir.path, busyPoll: 200 });
      try {
        const lockstep = await tftpHpaGet(server.endpoint.port, 'f.bin', join(dir.path, 'got-hpa.bin'));
        expect(lockstep.code, lockstep.output).toBe(0);
        expect(sha256(await readFile(join(dir.path, 'got-hpa.bin')))).toBe(sha256(file));
        const out = join(dir.path, 'got-w16.bin');
        const windowed = await atftpGet(server.endpoint.port, 'f.bin', out, { blksize: 1468, windowsize: 16 });
        expect(windowed.code, windowed.output).toBe(0);
        expect(sha256(await readFile(out))).toBe(sha256(file));
      } finally {
        await server.close();
      }
    },
  );

  it.skipIf(!curl)('curl: blksize 1468 with tsize', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('udpkit-curl-');
    await writeFile(join(dir.path, 'f.bin'), file);
    const server = await startServer({ root: dir.path });
    try {
      const out = join(dir.path, 'got.bin');
      const r = await runPeer(curl!, [
        '-sS',
        '--tftp-blksize',
        '1468',
        '-o',
        out,
        `tftp://${HOST}:${server.endpoint.port}/f.bin`,
      ]);
      expect(r.code, r.output).toBe(0);
      expect(sha256(await readFile(out))).toBe(sha256(file));
    } finally {
      await server.close();
    }
  });
});

describe('our client against C servers', () => {
  const file = seededBytes(3 * MiB + 29, 61);

  it.skipIf(!inTftpd)('in.tftpd: lockstep 512 and blksize 1468', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('udpkit-intftpd-');
    await writeFile(join(dir.path, 'f.bin'), file);
    const server = await startInTftpd(inTftpd!, dir.path);
    try {
      const ep = makeNetworkEndpoint(HOST, server.port);
      expect(sha256(await tftpGetBytes(ep, 'f.bin', { options: false, signal: AbortSignal.timeout(30_000) }))).toBe(
        sha256(file),
      );
      expect(sha256(await tftpGetBytes(ep, 'f.bin', { blksize: 1468, signal: AbortSignal.timeout(30_000) }))).toBe(
        sha256(file),
      );
    } finally {
      await server.close();
    }
  });

  it.skipIf(!inTftpd || !atftpd)(
    'with busyPoll: in.tftpd lockstep and atftpd 1468×w16',
    { timeout: 60_000 },
    async () => {
      await using dir = await tempDir('udpkit-busypoll-client-');
      await writeFile(join(dir.path, 'f.bin'), file);
      const hpaServer = await startInTftpd(inTftpd!, dir.path);
      const atServer = await startAtftpd(atftpd!, dir.path, { logFile: join(dir.path, 'atftpd.log') });
      try {
        const signal = AbortSignal.timeout(30_000);
        const lockstep = await tftpGetBytes(makeNetworkEndpoint(HOST, hpaServer.port), 'f.bin', {
          options: false,
          busyPoll: 200,
          signal,
        });
        expect(sha256(lockstep)).toBe(sha256(file));
        const windowed = await tftpGetBytes(makeNetworkEndpoint(HOST, atServer.port), 'f.bin', {
          blksize: 1468,
          windowsize: 16,
          busyPoll: 200,
          signal,
        });
        expect(sha256(windowed)).toBe(sha256(file));
      } finally {
        await hpaServer.close();
        await atServer.close();
      }
    },
  );

  it.skipIf(!atftpd)('atftpd: 1468×w16 and 8192×w8', { timeout: 60_000 }, async () => {
    await using dir = await tempDir('udpkit-atftpd-');
    await writeFile(join(dir.path, 'f.bin'), file);
    const server = await startAtftpd(atftpd!, dir.path, { logFile: join(dir.path, 'atftpd.log') });
    try {
      const ep = makeNetworkEndpoint(HOST, server.port);
      for (const [blksize, windowsize] of [
        [1468, 16],
        [8192, 8],
      ] as const) {
        const got = await tftpGetBytes(ep, 'f.bin', { blksize, windowsize, signal: AbortSignal.timeout(30_000) });
        expect(sha256(got)).toBe(sha256(file));
      }
    } finally {
      await server.close();
    }
  });
});
