// Our client ↔ our server through a seeded user-space relay that loses, duplicates, reorders and
// delays datagrams (no netem here): every transfer still ends byte-identical.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The private test relay of this repository (tools/fault-relay), by path: it is not a dependency of @udpkit/tftp.
import { startFaultRelay } from '../../../../tools/fault-relay/src/index.js';
import { tftpGetBytes, tftpPut } from '../../src/index.js';
import { pattern, type Served, serve, sha256, tempDir, writeFiles } from './helpers.js';

const DATA = pattern(150_000, 77);

describe('through a lossy network', () => {
  let served: Served;
  let root: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    root = await tempDir();
    await writeFiles(root.dir, { 'f.bin': DATA });
    served = await serve({ root: root.dir, allowWrite: true, allowCreate: true, allowOverwrite: true, timeoutMs: 100 });
  });
  afterAll(async () => {
    await served.server.close({ force: true });
    await root.cleanup();
  });

  const cases = [
    { label: 'lockstep', options: { blksize: 1024 } },
    { label: 'windowed', options: { blksize: 1468, windowsize: 8 } },
    { label: 'plain', options: { options: false as const } },
  ];

  for (const seed of [1, 2]) {
    for (const { label, options } of seed === 1 ? cases : cases.slice(0, 2)) {
      it(`get and put, ${label}, seed ${seed}: 5% loss, 3% duplication, 3% reordering`, async () => {
        const relay = await startFaultRelay({
          target: served.server.endpoint!,
          toServer: { seed, loss: 0.05, duplicate: 0.03, reorder: 0.03 },
          toClient: { seed: seed + 100, loss: 0.05, duplicate: 0.03, reorder: 0.03, jitterMs: 1 },
        });
        try {
          const address = `127.0.0.1:${relay.endpoint.port}`;
          const got = await tftpGetBytes(address, 'f.bin', { ...options, retries: 10 });
          expect(sha256(got)).toBe(sha256(DATA));
          const name = `up-${label}-${seed}.bin`;
          await tftpPut(address, name, DATA, { ...options, retries: 10 });
          expect(sha256(await readFile(join(root.dir, name)))).toBe(sha256(DATA));
          expect(relay.counts.toClient.dropped + relay.counts.toServer.dropped).toBeGreaterThan(0);
        } finally {
          await relay.close();
        }
      }, 60_000);
    }
  }
});
