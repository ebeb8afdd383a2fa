// Our client in its own process, for the benchmark's memory rows: downloads REMOTE from
// 127.0.0.1:PORT into a sha256 sink and prints JSON { ms, sha256, bytes, maxRss } (maxRss in bytes:
// VmHWM from /proc/self/status — not getrusage's maxrss, which on Linux carries over the parent's
// peak through fork + exec, here the benchmark process's).

import { createHash } from 'node:crypto';
import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { tftpGet } from '@udpkit/tftp';
import { peakRssOf } from './peers.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as {
  port: number;
  remote: string;
  blksize?: number;
  windowsize?: number;
};
const hash = createHash('sha256');
let bytes = 0;
const start = performance.now();
await tftpGet(
  makeNetworkEndpoint('127.0.0.1', spec.port),
  spec.remote,
  (chunk: Uint8Array) => {
    bytes += chunk.length;
    hash.update(chunk);
  },
  {
    ...(spec.blksize ? { blksize: spec.blksize } : {}),
    ...(spec.windowsize ? { windowsize: spec.windowsize } : {}),
    signal: AbortSignal.timeout(600_000),
  },
);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, sha256: hash.digest('hex'), bytes, maxRss: peakRssOf(process.pid) ?? 0 }));
