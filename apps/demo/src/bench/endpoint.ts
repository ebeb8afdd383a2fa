// Micro-benchmark of @udpkit/endpoint's hot path: the datagram-channel layer makes an endpoint from
// the (address, port) node:dgram reports for every received datagram. Baseline: allocating the
// small plain object `{ address, port, family }` node:dgram itself hands out. Every loop keeps its
// results alive in a ring so the allocation cannot be optimised away, and each variant has its own
// loop so no call site is shared between them.

import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

const RING = 1024;
const ring: unknown[] = new Array(RING).fill(null);

function opsPerSecond(iterations: number, start: bigint): number {
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

function plainObject(n: number, address: string): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring[i & (RING - 1)] = { address, port: 1024 + (i & 0x3fff), family: 'IPv4' };
  return opsPerSecond(n, start);
}

function endpointV4(n: number, address: string): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring[i & (RING - 1)] = makeNetworkEndpoint(address, 1024 + (i & 0x3fff));
  return opsPerSecond(n, start);
}

function endpointV6(n: number, address: string): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring[i & (RING - 1)] = makeNetworkEndpoint(address, 1024 + (i & 0x3fff));
  return opsPerSecond(n, start);
}

// Many different peers: 64 distinct addresses in turn, more than the package remembers, so every
// call scans its address text.
function endpointManyPeers(n: number, addresses: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) ring[i & (RING - 1)] = makeNetworkEndpoint(addresses[i & 63]!, 1024 + (i & 0x3fff));
  return opsPerSecond(n, start);
}

export async function run(options: BenchOptions): Promise<BenchSection> {
  const iterations = options.quick ? 20_000 : 2_000_000;
  const repeats = options.quick ? 3 : 9;
  // Address text built at run time (not literals), like the strings node:dgram hands out.
  const v4 = ['127', '0', '0', '1'].join('.');
  const v6 = [':', ':1'].join('');
  const peers = Array.from({ length: 64 }, (_, k) => `10.0.${k >> 4}.${(k & 15) + 1}`);
  const cases: [string, () => number][] = [
    ['plain object { address, port, family }', () => plainObject(iterations, v4)],
    ["makeNetworkEndpoint('127.0.0.1', port)", () => endpointV4(iterations, v4)],
    ["makeNetworkEndpoint('::1', port)", () => endpointV6(iterations, v6)],
    ['makeNetworkEndpoint(one of 64 IPv4 peers, port)', () => endpointManyPeers(iterations, peers)],
  ];
  // Warm up, then interleave the repeats so drift in machine load hits every variant alike.
  for (const [, measure] of cases) measure();
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < cases.length; k++) samples[k]!.push(cases[k]![1]());
  }
  const baseline = median(samples[0]!);
  const rows: BenchRow[] = cases.slice(1).map(([name], k) => ({
    name,
    ours: median(samples[k + 1]!),
    baseline,
    baselineName: cases[0]![0],
    unit: 'ops/s',
    higherIsBetter: true,
    goal: 0.4,
    runs: repeats,
  }));
  return {
    title: '@udpkit/endpoint: endpoint creation',
    notes: [
      `${iterations} creations per run, median of ${repeats} runs; one endpoint per received datagram is the channel layer's hot path.`,
      'The package remembers the last 4 valid address strings; the 64-peer row shows the cost when every call scans its text.',
      'Goal: within about 2.5× of allocating the plain object (ratio ≥ 0.4).',
    ],
    rows,
  };
}
