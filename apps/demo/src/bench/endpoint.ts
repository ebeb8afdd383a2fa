// Micro-benchmark of @udpkit/endpoint's hot path: the datagram-channel layer makes an endpoint from
// the (address, port) node:dgram reports for every received datagram. Baseline: allocating the
// small plain object `{ address, port, family }` node:dgram itself hands out. All variants keep
// their results alive in a ring so the allocation cannot be optimised away.

import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

const RING = 1024;

function timeLoop(iterations: number, body: (i: number) => unknown, ring: unknown[]): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) ring[i & (RING - 1)] = body(i);
  const ns = Number(process.hrtime.bigint() - start);
  return iterations / (ns / 1e9);
}

export async function run(options: BenchOptions): Promise<BenchSection> {
  const iterations = options.quick ? 20_000 : 2_000_000;
  const repeats = options.quick ? 3 : 9;
  const ring: unknown[] = new Array(RING).fill(null);
  // Ports vary so nothing is constant-folded; addresses are fresh-looking strings like dgram's.
  const v4 = '127.0.0.1';
  const v6 = '::1';
  const cases: [string, (i: number) => unknown][] = [
    ['plain object { address, port, family }', (i) => ({ address: v4, port: 1024 + (i & 0x3fff), family: 'IPv4' })],
    ["makeNetworkEndpoint('127.0.0.1', port)", (i) => makeNetworkEndpoint(v4, 1024 + (i & 0x3fff))],
    ["makeNetworkEndpoint('::1', port)", (i) => makeNetworkEndpoint(v6, 1024 + (i & 0x3fff))],
  ];
  // Warm up every variant, then interleave the repeats so drift hits all of them alike.
  for (const [, body] of cases) timeLoop(options.quick ? 5_000 : 200_000, body, ring);
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    cases.forEach(([, body], k) => {
      samples[k]!.push(timeLoop(iterations, body, ring));
    });
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
      'Goal: within about 2.5× of allocating the plain object (ratio ≥ 0.4).',
    ],
    rows,
  };
}
