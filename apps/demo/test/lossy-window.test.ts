// A windowed download through a lossy relay with the default retries: once a reproduction of two
// faults the soak found in @udpkit/tftp (fixed in its protocol core), now a regression test.
// Seeded relay: the same seeds give the same fates here.
//
// A 1 MiB download at 1468×w16 through the relay (10% loss, 5% dup, 5% reorder; seeds 106/206),
// default retries on both ends. It used to fail: the client gave up at ~15 s with "timed out
// waiting for DATA block 405 after 5 retries" while the server went on resending the window every
// ~10 s (its RTO backed off to the maximum) until it failed at ~65 s. The sender's RTO stayed
// backed off after progress resumed (transfers under loss took 3–90 s), and the receiver's give-up
// horizon (5 × 2 × its own RTO) was shorter than the sender's backed-off retries. Now the backoff
// ends on progress (RFC 6298 §5) and the receiver gives up only after (retries + 1) × maxRto of no
// progress, the sender's whole schedule (RFC 1123 §4.2.3.2): about 2 s.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tftpGetBytes } from '@udpkit/tftp';
import { describe, expect, it } from 'vitest';
import { seededBytes, sha256 } from '../src/content.js';
import { LOSSY, startRelay, startServer, tempDir } from './helpers.js';

describe('a windowed download through the lossy relay', () => {
  it('a windowed download under 10% loss completes with the default retries', { timeout: 120_000 }, async () => {
    await using dir = await tempDir('udpkit-known-');
    const file = seededBytes(1 << 20, 9);
    await writeFile(join(dir.path, 'f.bin'), file);
    const server = await startServer({ root: dir.path });
    const relay = await startRelay(server.endpoint, { seed: 106, ...LOSSY }, { seed: 206, ...LOSSY });
    try {
      const started = performance.now();
      const got = await tftpGetBytes(relay.endpoint, 'f.bin', {
        blksize: 1468,
        windowsize: 16,
        signal: AbortSignal.timeout(100_000),
      });
      expect(sha256(got)).toBe(sha256(file));
      // 715 blocks: even at 10% loss this should take seconds, not a minute.
      expect(performance.now() - started).toBeLessThan(30_000);
    } finally {
      await relay.close();
      await server.close();
    }
  });
});
