// Plain-text tables for the terminal (the demo) and units shared with the benchmarks.

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** MiB/s for `bytes` in `ms`, or '' when there is nothing to rate. */
export function formatRate(bytes: number | undefined, ms: number): string {
  if (!bytes || bytes < 4096 || ms <= 0) return '';
  const rate = bytes / (1 << 20) / (ms / 1000);
  return `${rate >= 100 ? rate.toFixed(0) : rate >= 10 ? rate.toFixed(1) : rate.toFixed(2)} MiB/s`;
}

export type Align = 'left' | 'right';

/** A boxed-free table: header, a rule, rows; columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (align?.[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
