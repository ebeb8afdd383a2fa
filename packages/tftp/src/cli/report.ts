// What the `tftp` bin prints: the one-line messages on stderr and the JSON objects on stdout
// (DESIGN.md "`tftp` CLI conventions"). Pure functions, so the texts are tested without sockets.
// Every string that came from a peer (filenames, ERROR texts, option values) goes through
// sanitizePeerText before it reaches a log line (reference/tftp.md: "never format peer strings
// raw into logs"); JSON output keeps the raw text, JSON-escaped.
import { isTftpTransferError, sanitizePeerText, tftpErrorMessage, tftpErrorName } from '../protocol/errors.js';
import { quoteArg } from './args.js';

// --- numbers for people ------------------------------------------------------------------

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.5 KiB`, `12.3 MiB` (1024-based, three significant digits). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** `8.30 MiB/s`; `-` when nothing can be said yet. */
export function formatRate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return '-';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** `0.12 s` below a minute, `1:05` / `1:02:03` above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Bytes per second over `durationMs`, undefined for a zero duration. */
export function rateOf(bytes: number, durationMs: number): number | undefined {
  return durationMs > 0 ? Math.round((bytes * 1000) / durationMs) : undefined;
}

/** `host:port`, with IPv6 addresses in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// --- errors --------------------------------------------------------------------------------

/** The error object of the JSON output: `code` is stable, `tftpCode` the TFTP ErrorCode if any. */
export interface ErrorReport {
  /**
   * A `TftpTransferError` code (`timeout`, `peer-error`, `protocol-error`, `bad-oack`,
   * `too-large`, `aborted`), `file-exists` (LOCAL exists, no --force), a Node errno string for a
   * local file error (`ENOENT`, `EACCES`, …), another error's own string `code`, or `error`.
   */
  code: string;
  tftpCode: number | null;
  /** The message as on stderr, without the `tftp: ` prefix. */
  message: string;
}

/** What a failure is about, for its message. */
export interface ErrorContext {
  /** `host:port` of the server. */
  server?: string;
  /** The remote file name (the user's own input: quoted, not sanitised). */
  remote?: string;
  /** True when the user interrupted (the transfer's signal was ours). */
  interrupted?: boolean;
}

/** Raised by the CLI itself: LOCAL exists and --force was not given. */
export class LocalFileExistsError extends Error {
  readonly code = 'file-exists';
  constructor(readonly path: string) {
    super(`${quoteArg(path)} exists (use --force to replace it)`);
    this.name = 'LocalFileExistsError';
  }
}

// glibc strerror() texts (DESIGN.md: message texts follow Linux).
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EPIPE: 'Broken pipe',
  EIO: 'Input/output error',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Device or resource busy',
  EINVAL: 'Invalid argument',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ECONNREFUSED: 'Connection refused',
};

/** The glibc text of an errno name (`ENOENT` → `No such file or directory`), else the name. */
export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

interface NodeError {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  path?: unknown;
  message?: unknown;
}

function isLocalFsError(e: NodeError): e is NodeError & { code: string } {
  return typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.errno === 'number';
}

/** The first Node errno error in `error.cause`'s chain (a few levels), if any. */
function localCause(error: unknown): (NodeError & { code: string }) | undefined {
  let e = (error as { cause?: unknown })?.cause;
  for (let i = 0; i < 4 && e !== undefined && e !== null; i++) {
    if (isLocalFsError(e as NodeError)) return e as NodeError & { code: string };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A peer's ERROR text worth showing: not empty and not just the standard text of its code. */
function peerDetail(code: number | undefined, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (code !== undefined && trimmed.toLowerCase() === tftpErrorMessage(code).toLowerCase()) return undefined;
  if (code !== undefined && trimmed.toLowerCase().replace(/\.$/, '') === tftpErrorName(code).toLowerCase()) {
    return undefined;
  }
  return sanitizePeerText(trimmed);
}

function errorMessageText(error: unknown): string {
  const m = (error as NodeError)?.message;
  return typeof m === 'string' && m !== '' ? m : String(error);
}

/**
 * The JSON error object and the message (stderr, after `tftp: `) for a failed get/put, e.g.
 * `error 1 (file not found): boot.img` or `timed out: no answer from 127.0.0.1:69 (boot.img)`.
 */
export function describeError(error: unknown, context: ErrorContext = {}): ErrorReport {
  const what = context.remote === undefined ? '' : ` (${context.remote})`;
  const from = context.server === undefined ? '' : ` from ${context.server}`;
  if (context.interrupted) {
    // Whatever the abort looked like on the way out (signal.reason, an 'aborted' transfer error).
    const tftpCode = isTftpTransferError(error) ? (error.tftpCode ?? null) : null;
    return { code: 'aborted', tftpCode, message: `interrupted${what}` };
  }
  if (error instanceof LocalFileExistsError) {
    return { code: error.code, tftpCode: null, message: error.message };
  }
  if (isTftpTransferError(error)) {
    const tftpCode = error.tftpCode ?? null;
    const detail = sanitizePeerText(error.message);
    switch (error.code) {
      case 'peer-error': {
        const code = error.tftpCode ?? 0;
        const said = peerDetail(code, error.peerMessage);
        const name = context.remote ?? '';
        return {
          code: error.code,
          tftpCode,
          message: `error ${code} (${tftpErrorName(code)}): ${name}${said ? ` (server says: ${said})` : ''}`,
        };
      }
      case 'timeout':
        return { code: error.code, tftpCode, message: `timed out: no answer${from}${what}` };
      case 'aborted': {
        // Our own side gave up: a local file or stream failed (disk full, stdout closed…).
        const local = localCause(error);
        if (local) return { ...describeError(local, context), tftpCode };
        return { code: error.code, tftpCode, message: `aborted${what}: ${detail}` };
      }
      case 'protocol-error':
        return { code: error.code, tftpCode, message: `protocol error${from}${what}: ${detail}` };
      case 'bad-oack':
        return { code: error.code, tftpCode, message: `bad option acknowledgement${from}${what}: ${detail}` };
      case 'too-large':
        return { code: error.code, tftpCode, message: `file too large${what}: ${detail}` };
      default:
        return { code: String(error.code), tftpCode, message: `${detail}${what}` };
    }
  }
  const e = (error ?? {}) as NodeError;
  if (isLocalFsError(e)) {
    const text = STRERROR[e.code] ?? e.code;
    const path = typeof e.path === 'string' ? `${quoteArg(e.path)}: ` : '';
    return { code: e.code, tftpCode: null, message: `${path}${text}` };
  }
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : 'error';
  return { code, tftpCode: null, message: sanitizePeerText(errorMessageText(error), 500) };
}

// --- transfer summaries -------------------------------------------------------------------

/** The parts of a transfer's statistics the CLI reports (io's TftpTransferStats has them). */
export interface StatsLike {
  bytes: number;
  blocks?: number;
  retransmits?: number;
  durationMs?: number;
}

/** Negotiated options as printed: name → number or string. */
export type OptionsReport = Record<string, number | string>;

export interface TransferReport {
  ok: true;
  op: 'get' | 'put';
  server: string;
  remote: string;
  /** The local path (absolute) or `-`. */
  local: string;
  mode: string;
  bytes: number;
  blocks: number | null;
  retransmits: number | null;
  durationMs: number;
  /** Bytes per second, null when the duration rounds to 0. */
  rate: number | null;
  /** The options the server acknowledged (OACK), `{}` for a plain RFC 1350 transfer. */
  options: OptionsReport;
}

export interface FailureReport {
  ok: false;
  op: 'get' | 'put';
  server: string;
  remote: string;
  local: string;
  mode: string;
  error: ErrorReport;
}

export function transferReport(
  base: { op: 'get' | 'put'; server: string; remote: string; local: string; mode: string },
  stats: StatsLike,
  options: OptionsReport,
): TransferReport {
  const durationMs = Math.max(0, Math.round(stats.durationMs ?? 0));
  return {
    ok: true,
    ...base,
    bytes: stats.bytes,
    blocks: stats.blocks ?? null,
    retransmits: stats.retransmits ?? null,
    durationMs,
    rate: rateOf(stats.bytes, durationMs) ?? null,
    options,
  };
}

/** `received boot.img: 1.00 MiB (1048576 bytes) in 0.12 s, 8.30 MiB/s` */
export function summaryLine(op: 'get' | 'put', remote: string, stats: StatsLike): string {
  const ms = stats.durationMs ?? 0;
  const verb = op === 'get' ? 'received' : 'sent';
  const size = stats.bytes < 1024 ? `${stats.bytes} bytes` : `${formatBytes(stats.bytes)} (${stats.bytes} bytes)`;
  const rate = rateOf(stats.bytes, ms);
  const retrans = stats.retransmits ? `, ${stats.retransmits} retransmitted` : '';
  const name = sanitizePeerText(remote);
  return `${verb} ${name}: ${size} in ${formatDuration(ms)}${rate === undefined ? '' : `, ${formatRate(rate)}`}${retrans}`;
}

/**
 * Normalise an options map (OACK entries, a Map, or a record) to `{ name: value }` with numeric
 * values as numbers; names lower-cased.
 */
export function optionsReport(options: unknown): OptionsReport {
  const out: OptionsReport = {};
  if (options === undefined || options === null) return out;
  let entries: Iterable<[unknown, unknown]>;
  if (options instanceof Map) entries = options.entries();
  else if (Array.isArray(options)) entries = options as [unknown, unknown][];
  else if (typeof options === 'object') entries = Object.entries(options as Record<string, unknown>);
  else return out;
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length < 2) continue;
    const [k, v] = entry;
    if (v === undefined || v === null || v === false) continue;
    const name = String(k).toLowerCase();
    const value = typeof v === 'number' ? v : /^[0-9]{1,15}$/.test(String(v)) ? Number(v) : String(v);
    out[name] = value;
  }
  return out;
}

// --- serve log -----------------------------------------------------------------------------

// The server's io layer already sanitises what it reports (filenames, option names and values,
// error texts: sanitizePeerText). Sanitising again would double every `\` and turn its `…` into
// `\x26`, so serve lines only escape what must never reach a terminal (idempotent).
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escape control, line-separator and bidi characters as `\xNN`/`\uNNNN`; nothing else. */
export function terminalSafe(text: string, max = 300): string {
  const out = text.replace(TERMINAL_UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** Like peerDetail, for text the io layer already sanitised. */
function servedDetail(code: number | undefined, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (code !== undefined && trimmed.toLowerCase() === tftpErrorMessage(code).toLowerCase()) return undefined;
  return terminalSafe(trimmed);
}

/** What the server reports when a transfer ends (io's onTransferEnd info, the parts we use). */
export interface ServedTransfer {
  op: 'get' | 'put' | string;
  filename: string;
  mode?: string;
  remote: { address: string; port: number };
  bytes: number;
  blocks?: number;
  retransmits?: number;
  durationMs: number;
  options: OptionsReport;
  /** Why a successful transfer ended, when not simply complete (`option-probe`). */
  reason?: string;
  error?: unknown;
}

export interface ServedTransferReport {
  event: 'transfer';
  ok: boolean;
  op: string;
  client: string;
  filename: string;
  mode: string | null;
  bytes: number;
  blocks: number | null;
  retransmits: number | null;
  durationMs: number;
  rate: number | null;
  options: OptionsReport;
  reason?: string;
  error?: ErrorReport;
}

function servedError(error: unknown): ErrorReport {
  if (isTftpTransferError(error)) {
    const code = error.tftpCode;
    const name = code === undefined ? '' : `error ${code} (${tftpErrorName(code)})`;
    let message: string;
    switch (error.code) {
      case 'peer-error': {
        const said = servedDetail(code, error.peerMessage);
        message = `client sent ${name}${said ? `: ${said}` : ''}`;
        break;
      }
      case 'timeout':
        message = 'timed out';
        break;
      case 'aborted': {
        // A refused request: the io layer reports `error N (name): text` with the code sent.
        const refusal = /^error \d+ \([^)]*\)(?:: (.*))?$/s.exec(error.message);
        if (refusal && name) {
          const said = servedDetail(code, refusal[1]);
          message = `refused with ${name}${said ? `: ${said}` : ''}`;
        } else message = `aborted${name ? ` (sent ${name})` : ''}: ${terminalSafe(error.message)}`;
        break;
      }
      default:
        message = `${error.code}${name ? ` (sent ${name})` : ''}: ${terminalSafe(error.message)}`;
    }
    return { code: error.code, tftpCode: code ?? null, message };
  }
  const e = (error ?? {}) as { errorCode?: unknown; code?: unknown; message?: unknown };
  // A TftpError from the handler (refused request): errorCode is the code sent.
  if (typeof e.errorCode === 'number') {
    const text = typeof e.message === 'string' ? e.message : '';
    const said = servedDetail(e.errorCode, text);
    return {
      code: typeof e.code === 'string' ? e.code : 'refused',
      tftpCode: e.errorCode,
      message: `sent error ${e.errorCode} (${tftpErrorName(e.errorCode)})${said ? `: ${said}` : ''}`,
    };
  }
  return {
    code: typeof e.code === 'string' ? e.code : 'error',
    tftpCode: null,
    message: terminalSafe(errorMessageText(error)),
  };
}

export function servedTransferReport(t: ServedTransfer): ServedTransferReport {
  const durationMs = Math.max(0, Math.round(t.durationMs));
  const report: ServedTransferReport = {
    event: 'transfer',
    ok: t.error === undefined,
    op: t.op,
    client: formatHostPort(t.remote.address, t.remote.port),
    filename: t.filename,
    mode: t.mode ?? null,
    bytes: t.bytes,
    blocks: t.blocks ?? null,
    retransmits: t.retransmits ?? null,
    durationMs,
    rate: rateOf(t.bytes, durationMs) ?? null,
    options: t.options,
  };
  if (t.reason !== undefined) report.reason = t.reason;
  if (t.error !== undefined) report.error = servedError(t.error);
  return report;
}

/**
 * One log line (without the `tftp: ` prefix), every peer string sanitised:
 * `127.0.0.1:40000 get "boot.img" ok: 1.00 MiB in 0.12 s, 8.30 MiB/s [blksize=1468]`
 * `127.0.0.1:40000 put "x.bin" failed: sent error 2 (access violation): writes are not allowed`
 */
export function servedTransferLine(r: ServedTransferReport): string {
  const name = `"${terminalSafe(r.filename)}"`;
  const mode = r.mode && r.mode !== 'octet' ? ` ${terminalSafe(r.mode, 16)}` : '';
  const head = `${terminalSafe(r.client, 80)} ${terminalSafe(r.op, 16)} ${name}${mode}`;
  const opts = Object.entries(r.options)
    .map(([k, v]) => `${terminalSafe(k, 32)}=${terminalSafe(String(v), 32)}`)
    .join(' ');
  const tail = opts === '' ? '' : ` [${opts}]`;
  if (r.ok) {
    const rate = r.rate === null ? '' : `, ${formatRate(r.rate)}`;
    const retrans = r.retransmits ? `, ${r.retransmits} retransmitted` : '';
    if (r.reason === 'option-probe') return `${head} ok: options probed (client ended after the OACK)${tail}`;
    return `${head} ok: ${formatBytes(r.bytes)} in ${formatDuration(r.durationMs)}${rate}${retrans}${tail}`;
  }
  const after = r.bytes > 0 ? ` after ${formatBytes(r.bytes)}` : '';
  return `${head} failed${after}: ${r.error?.message ?? 'unknown error'}`;
}
