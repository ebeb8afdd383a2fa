// The shape every benchmark returns, and the statistics `pnpm bench` reports with.
// Each benchmark file in this folder exports `run(options): Promise<BenchSection>`; main.ts runs
// them all in one process, one after another, and writes BENCHMARKS.md.

export interface BenchOptions {
  /** Smoke-test sizes and repeat counts (`pnpm bench --quick`, run by CI). */
  quick: boolean;
}

export interface BenchRow {
  /** What was measured, e.g. "flood receive, 64-byte datagrams". */
  name: string;
  /** Our median, in `unit`. */
  ours: number;
  /** The baseline's median in the same run (raw node:dgram, a C peer, the npm tftp package). */
  baseline?: number;
  baselineName?: string;
  unit: string;
  /** true when a larger value is better (rates); false for times and sizes. */
  higherIsBetter: boolean;
  /** The goal as a ratio ours/baseline (or baseline/ours for times), e.g. 0.9. */
  goal?: number;
  runs: number;
}

export interface BenchSection {
  title: string;
  notes?: string[];
  rows: BenchRow[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** ours relative to the baseline, oriented so that > 1 means we are better. */
export function ratio(row: BenchRow): number | undefined {
  if (row.baseline === undefined || row.baseline === 0 || row.ours === 0) return undefined;
  return row.higherIsBetter ? row.ours / row.baseline : row.baseline / row.ours;
}
