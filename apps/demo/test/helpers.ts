// Shared by the integration tests: a temp folder, a server of ours on a loopback port with every
// transfer's end recorded, a relay in front of it, and seeded transfer plans.

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkEndpoint } from '@udpkit/endpoint';
import { type FaultOptions, type FaultRelay, startFaultRelay } from '@udpkit/fault-relay';
import { createTftpServer, type TftpServer, type TftpServerOptions, type TftpTransferEndInfo } from '@udpkit/tftp';

export async function tempDir(prefix: string): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  await chmod(path, 0o755); // in.tftpd serves it after dropping to user nobody
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

export interface TestServer {
  server: TftpServer;
  endpoint: NetworkEndpoint;
  ended: TftpTransferEndInfo[];
  close(): Promise<void>;
}

export async function startServer(options: TftpServerOptions): Promise<TestServer> {
  const ended: TftpTransferEndInfo[] = [];
  const server = createTftpServer({
    host: '127.0.0.1',
    port: 0,
    ...options,
    onTransferEnd: (info) => {
      ended.push(info);
      options.onTransferEnd?.(info);
    },
  });
  const endpoint = await server.listen();
  return { server, endpoint, ended, close: () => server.close({ force: true }) };
}

export function startRelay(
  target: NetworkEndpoint,
  toServer: FaultOptions,
  toClient: FaultOptions,
): Promise<FaultRelay> {
  return startFaultRelay({ target, toServer, toClient });
}

/** The relay's faults of the soak: 10% loss, 5% duplication, 5% reordering, each direction. */
export const LOSSY = { loss: 0.1, duplicate: 0.05, reorder: 0.05 } as const;

/** Small deterministic PRNG for choosing plans (xorshift32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
