// The progress bar of `tftp get`/`put`: one line on stderr, redrawn in place with `\r` at most
// every `intervalMs`, cleared at the end. Shown only when stderr is a terminal and neither
// --quiet nor --json was given (DESIGN.md "`tftp` CLI conventions"); run.ts decides that.
import { sanitizePeerText } from '../protocol/errors.js';
import { formatBytes, formatDuration, formatRate } from './report.js';

export interface ProgressUpdate {
  /** Bytes transferred so far. */
  bytes: number;
  /** The size, when known (tsize). */
  total?: number | undefined;
}

export interface Progress {
  update(progress: ProgressUpdate): void;
  /** Clear the line (if anything was drawn). Idempotent; updates after it are ignored. */
  done(): void;
}

export interface ProgressOptions {
  /** Where to draw (stderr). */
  stream: { write(text: string): unknown; columns?: number };
  /** The file name shown first (sanitised and shortened here). */
  label: string;
  /** Terminal width; default `stream.columns`, else 80. */
  columns?: number;
  /** Least time between redraws (default 100 ms). */
  intervalMs?: number;
  /** Clock in ms (tests); default `performance.now()`. */
  now?: () => number;
}

/** A progress that draws nothing. */
export const noProgress: Progress = Object.freeze({ update() {}, done() {} });

/** How far back the rate is measured (a sliding window keeps it responsive). */
const RATE_WINDOW_MS = 3000;

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  return `…${text.slice(text.length - (max - 1))}`;
}

/** The text of one progress line for `columns` columns (pure; exported for tests). */
export function progressLine(
  label: string,
  bytes: number,
  total: number | undefined,
  rate: number | undefined,
  columns: number,
): string {
  const known = total !== undefined && total > 0;
  const fraction = known ? Math.min(1, bytes / total) : undefined;
  const parts: string[] = [];
  if (fraction !== undefined) parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
  parts.push(known ? `${formatBytes(bytes)} / ${formatBytes(total)}` : formatBytes(bytes));
  parts.push(formatRate(rate));
  if (known && rate !== undefined && rate > 0) {
    const left = Math.max(0, total - bytes);
    parts.push(`ETA ${formatDuration((left / rate) * 1000).replace(/\.\d+ s$/, ' s')}`);
  }
  const info = parts.join('  ');
  const width = Math.max(20, columns - 1); // never write into the last column (no wrap)
  let name = shorten(label, Math.min(30, Math.max(8, width - info.length - 4)));
  let bar = '';
  // Reserve room for the longest info ("100%  1023 MiB / 1023 MiB  1023 MiB/s  ETA 1:02:03"),
  // so the bar keeps its width while the numbers change.
  const room = width - name.length - Math.max(info.length, 52) - 4;
  if (fraction !== undefined && room >= 12) {
    const inner = Math.min(40, room - 2);
    const filled = Math.round(fraction * inner);
    bar = ` [${'#'.repeat(filled)}${' '.repeat(inner - filled)}]`;
  }
  let line = `${name}${bar}  ${info}`;
  if (line.length > width) {
    name = shorten(label, Math.max(1, width - info.length - 2));
    line = `${name}  ${info}`.slice(0, width);
  }
  return line;
}

export function createProgress(options: ProgressOptions): Progress {
  const { stream } = options;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const label = sanitizePeerText(options.label, 200);
  const start = now();
  const samples: { t: number; bytes: number }[] = [{ t: start, bytes: 0 }];
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;

  const rate = (t: number, bytes: number): number | undefined => {
    // One sample per 100 ms at most, so the window stays small however often updates come.
    if (t - samples.at(-1)!.t >= 100) samples.push({ t, bytes });
    while (samples.length > 2 && t - samples[1]!.t > RATE_WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const dt = t - first.t;
    return dt >= 200 ? ((bytes - first.bytes) * 1000) / dt : undefined;
  };

  return {
    update({ bytes, total }) {
      if (finished) return;
      const t = now();
      const r = rate(t, bytes);
      if (t - lastDraw < interval) return;
      lastDraw = t;
      // A pty may report 0 columns (script(1), some CI): then assume 80.
      const columns = options.columns || stream.columns || 80;
      stream.write(`\r${progressLine(label, bytes, total, r, columns)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
