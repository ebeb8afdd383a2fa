// The `tftp` bin as a function: argv + the process's streams in, an exit code out, so the whole
// CLI runs in-process in tests. main.ts only wires process.* to it. Conventions: DESIGN.md
// "`tftp` CLI conventions" (exit 0 done, 1 failed, 2 usage; --json; progress on a TTY only).
import { stat } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { makeNetworkEndpoint, type NetworkEndpoint } from '@udpkit/endpoint';
import {
  createTftpServer,
  type TftpTransferEndInfo,
  type TftpTransferStats,
  tftpGet,
  tftpGetFile,
  tftpPut,
  tftpPutFile,
} from '../io/index.js';
import { type GetArgs, type PutArgs, parseArgs, quoteArg, type ServeArgs } from './args.js';
import { createProgress, noProgress, type Progress } from './progress.js';
import {
  describeError,
  type ErrorReport,
  type FailureReport,
  formatHostPort,
  LocalFileExistsError,
  optionsReport,
  type ServedTransfer,
  servedTransferLine,
  servedTransferReport,
  strerror,
  summaryLine,
  transferReport,
} from './report.js';

/** A writable byte/text stream: process.stdout/stderr or anything shaped like them. */
export type CliWritable = NodeJS.WritableStream & { columns?: number };

export interface CliIo {
  /** Read by `put HOST - REMOTE`. */
  stdin: NodeJS.ReadableStream;
  /** Help texts, `get … -` file bytes, --json objects. */
  stdout: CliWritable;
  /** Messages, progress bar, serve log lines. */
  stderr: CliWritable;
  /** The environment (`COLUMNS` sizes the progress bar). */
  env?: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal: only then is a progress bar drawn. */
  isTTY?: boolean;
  /**
   * Aborted on the first SIGINT/SIGTERM: get/put stop (ERROR to the peer), serve stops taking
   * requests and waits for running transfers. A reason with `signal: 'SIGTERM'` (or a signal
   * name as the reason) picks the exit code 128+N of an interrupted get/put; default 130.
   */
  signal?: AbortSignal;
  /** Aborted on the second signal: serve abandons its running transfers at once. */
  forceSignal?: AbortSignal;
  /** Relative LOCAL and ROOT paths are resolved against this (default `process.cwd()`). */
  cwd?: string;
}

/** Exit codes (DESIGN.md). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** 128 + the number of the signal that interrupted us (130 = SIGINT when unknown). */
export function interruptExitCode(reason: unknown): number {
  const name = typeof reason === 'string' ? reason : (reason as { signal?: unknown } | undefined)?.signal?.toString?.();
  const n = name ? (osConstants.signals as Record<string, number | undefined>)[name] : undefined;
  return 128 + (n ?? osConstants.signals.SIGINT);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  switch (args.kind) {
    case 'help':
      io.stdout.write(args.text);
      return EXIT_OK;
    case 'usage-error':
      io.stderr.write(`tftp: ${args.message}\nTry 'tftp ${args.command ? `${args.command} ` : ''}--help'.\n`);
      return EXIT_USAGE;
    case 'get':
    case 'put':
      return runTransfer(args, io);
    case 'serve':
      return runServe(args, io);
  }
}

// --- get / put -----------------------------------------------------------------------------

function progressFor(args: GetArgs | PutArgs, io: CliIo): Progress {
  if (!io.isTTY || args.quiet || args.json) return noProgress;
  const cols = Number(io.env?.COLUMNS);
  return createProgress({
    stream: io.stderr,
    label: args.remote,
    ...(Number.isInteger(cols) && cols > 0 ? { columns: cols } : {}),
  });
}

/** `tftp get` LOCAL → the path to write, after the folder rule; throws the refusal to overwrite. */
async function getTarget(args: GetArgs, cwd: string): Promise<string> {
  let local = path.resolve(cwd, args.local);
  let st = await stat(local).catch(() => undefined);
  if (st?.isDirectory()) {
    const base = args.remote.split(/[/\\]/).at(-1) ?? '';
    if (base === '' || base === '.' || base === '..') {
      throw new Error(`cannot name a file in ${quoteArg(args.local)} after ${quoteArg(args.remote)}; give LOCAL`);
    }
    local = path.join(local, base);
    st = await stat(local).catch(() => undefined);
  }
  if (st && !args.overwrite) throw new LocalFileExistsError(local);
  // The folder must exist (else the error would name the temp file io writes first).
  const dir = path.dirname(local);
  const parent = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (parent instanceof Error) throw Object.assign(parent, { path: dir });
  if (!parent.isDirectory())
    throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR', errno: -20, path: dir });
  return local;
}

/** A sink writing to a stream with backpressure, copying each chunk (io's chunks are views). */
function streamSink(stream: NodeJS.WritableStream): {
  write(chunk: Uint8Array): Promise<void> | undefined;
  failure(): unknown;
  dispose(): void;
} {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  stream.on('error', onError);
  return {
    write(chunk) {
      if (failure !== undefined) return Promise.reject(failure);
      if (stream.write(Buffer.from(chunk))) return undefined;
      return new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown) => {
          stream.removeListener('drain', onDrain);
          stream.removeListener('error', onFail);
          stream.removeListener('close', onClose);
          if (error === undefined) resolve();
          else reject(error);
        };
        const onDrain = () => settle();
        const onFail = (error: unknown) => settle(error ?? new Error('stdout failed'));
        const onClose = () => settle(failure ?? Object.assign(new Error('stdout closed'), { code: 'EPIPE' }));
        stream.once('drain', onDrain);
        stream.once('error', onFail);
        stream.once('close', onClose);
      });
    },
    failure: () => failure,
    dispose() {
      stream.removeListener('error', onError);
    },
  };
}

async function runTransfer(args: GetArgs | PutArgs, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const server = formatHostPort(args.host, args.port);
  const controller = new AbortController();
  const onAbort = () => controller.abort(io.signal?.reason);
  io.signal?.addEventListener('abort', onAbort, { once: true });
  if (io.signal?.aborted) onAbort();
  let local = args.local === '-' ? '-' : path.resolve(cwd, args.local);
  const progress = progressFor(args, io);
  const base = { op: args.kind, server, remote: args.remote, local, mode: args.mode };
  let stdoutFailure: unknown;
  const transferOptions = {
    mode: args.mode,
    signal: controller.signal,
    onProgress: (p: { bytes: number; total?: number | undefined }) => progress.update(p),
    ...(args.blksize !== undefined ? { blksize: args.blksize } : {}),
    ...(args.windowsize !== undefined ? { windowsize: args.windowsize } : {}),
    ...(args.timeout !== undefined ? { timeout: args.timeout } : {}),
    ...(args.utimeout !== undefined ? { utimeout: args.utimeout } : {}),
    ...(args.retries !== undefined ? { retries: args.retries } : {}),
    ...(args.busyPoll !== undefined ? { busyPoll: args.busyPoll } : {}),
    tsize: args.tsize,
    ...(args.noOptions ? { options: false } : {}),
  };
  try {
    let endpoint: NetworkEndpoint;
    try {
      endpoint = makeNetworkEndpoint(args.host, args.port);
    } catch (error) {
      throw new Error(`bad server address ${quoteArg(server)}: ${(error as Error).message}`);
    }
    let stats: TftpTransferStats;
    if (args.kind === 'get') {
      if (local === '-') {
        const sink = streamSink(io.stdout);
        try {
          stats = await tftpGet(endpoint, args.remote, (chunk: Uint8Array) => sink.write(chunk), transferOptions);
        } finally {
          stdoutFailure = sink.failure();
          sink.dispose();
        }
      } else {
        local = await getTarget(args, cwd);
        base.local = local;
        stats = await tftpGetFile(endpoint, args.remote, local, { ...transferOptions, overwrite: args.overwrite });
      }
    } else if (local === '-') {
      stats = await tftpPut(endpoint, args.remote, io.stdin, transferOptions);
    } else {
      const st = await stat(local).catch((error: NodeJS.ErrnoException) => Object.assign(error, { path: local }));
      if (st instanceof Error) throw st;
      if (!st.isFile()) {
        const code = st.isDirectory() ? 'EISDIR' : 'EINVAL';
        throw Object.assign(new Error('not a regular file'), {
          code,
          errno: code === 'EISDIR' ? -21 : -22,
          path: local,
        });
      }
      stats = await tftpPutFile(endpoint, local, args.remote, transferOptions);
    }
    progress.done();
    // Local bytes (the file's size), which differ from the wire bytes in netascii mode.
    const counted = { ...stats, bytes: stats.localBytes };
    const report = transferReport(base, counted, optionsReport(stats.oack));
    if (args.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else if (!args.quiet) io.stderr.write(`tftp: ${summaryLine(args.kind, args.remote, counted)}\n`);
    return EXIT_OK;
  } catch (error) {
    progress.done();
    const interrupted = controller.signal.aborted;
    const described =
      stdoutFailure !== undefined && !interrupted
        ? stdoutError(stdoutFailure)
        : describeError(error, { server, remote: args.remote, interrupted });
    io.stderr.write(`tftp: ${described.message}\n`);
    if (args.json) {
      const failure: FailureReport = { ok: false, ...base, error: described };
      io.stdout.write(`${JSON.stringify(failure)}\n`);
    }
    return interrupted ? interruptExitCode(controller.signal.reason) : EXIT_FAILED;
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
}

/** `get … -` could not write to stdout (`| head` closed it): `stdout: Broken pipe`. */
function stdoutError(error: unknown): ErrorReport {
  const d = describeError(error);
  return { ...d, message: `stdout: ${d.message}` };
}

// --- serve ---------------------------------------------------------------------------------

async function runServe(args: ServeArgs, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const root = path.resolve(cwd, args.root);
  const say = (line: string) => io.stderr.write(`tftp: ${line}\n`);
  const st = await stat(root).catch((error: NodeJS.ErrnoException) => error);
  if (st instanceof Error || !st.isDirectory()) {
    const why = st instanceof Error ? strerror(String(st.code)) : strerror('ENOTDIR');
    say(`cannot serve ${quoteArg(args.root)}: ${why}`);
    return EXIT_FAILED;
  }
  // stdout may be a pipe that closes (--json | head): never crash the server for it.
  const ignore = () => {};
  io.stdout.on('error', ignore);
  const logTransfer = (info: TftpTransferEndInfo) => {
    try {
      const report = servedTransferReport(servedInfo(info));
      if (args.json) io.stdout.write(`${JSON.stringify(report)}\n`);
      else if (!args.quiet) say(servedTransferLine(report));
    } catch (error) {
      say(`cannot log a transfer: ${describeError(error).message}`);
    }
  };
  const server = createTftpServer({
    root,
    ...(args.host !== undefined ? { host: args.host } : {}),
    port: args.port,
    allowWrite: args.allowWrite,
    allowCreate: args.allowCreate,
    allowOverwrite: args.allowOverwrite,
    ...(args.maxFileSize !== undefined ? { maxFileSize: args.maxFileSize } : {}),
    ...(args.maxTransfers !== undefined ? { maxTransfers: args.maxTransfers } : {}),
    ...(args.maxBlksize !== undefined ? { maxBlksize: args.maxBlksize } : {}),
    ...(args.maxWindowsize !== undefined ? { maxWindowsize: args.maxWindowsize } : {}),
    ...(args.noOptions ? { refuseOptions: true } : {}),
    ...(args.portRange ? { portRange: args.portRange } : {}),
    ...(args.busyPoll !== undefined ? { busyPoll: args.busyPoll } : {}),
    onTransferEnd: logTransfer,
  });
  try {
    let bound: NetworkEndpoint;
    try {
      bound = await server.listen();
    } catch (error) {
      const where = formatHostPort(args.host ?? '::', args.port);
      const { message } = describeError(error);
      const hint =
        /permission denied/i.test(message) && args.port < 1024
          ? ' (ports below 1024 need privileges; try --port 6969)'
          : '';
      say(`cannot listen on ${where}: ${message}${hint}`);
      return EXIT_FAILED;
    }
    const where = String(bound);
    const writes = !args.allowWrite
      ? 'read-only'
      : `writes: ${[args.allowCreate && 'create', args.allowOverwrite && 'overwrite'].filter(Boolean).join(', ') || 'none (needs --allow-create or --allow-overwrite)'}`;
    if (args.json) {
      const { host, port } = endpointParts(bound, args.host ?? '::');
      io.stdout.write(
        `${JSON.stringify({ event: 'listening', root, host, port, allowWrite: args.allowWrite, allowCreate: args.allowCreate, allowOverwrite: args.allowOverwrite })}\n`,
      );
    } else say(`serving ${root} on ${where} (${writes})`);

    const signalName = await waitForAbort(io.signal);
    const running = server.activeTransfers;
    if (!args.json && !args.quiet) {
      say(
        `${signalName ? `${signalName}: ` : ''}shutting down${running > 0 ? `, waiting for ${running} transfer${running === 1 ? '' : 's'}` : ''}`,
      );
    }
    let forced = false;
    const force = () => {
      forced = true;
      if (!args.json && !args.quiet) say('stopping running transfers');
      void server.close({ force: true }).catch(() => {});
    };
    io.forceSignal?.addEventListener('abort', force, { once: true });
    try {
      if (io.forceSignal?.aborted) force();
      await server.close();
    } finally {
      io.forceSignal?.removeEventListener('abort', force);
    }
    if (args.json) io.stdout.write(`${JSON.stringify({ event: 'closed', forced })}\n`);
    return forced ? interruptExitCode(io.forceSignal?.reason) : EXIT_OK;
  } finally {
    await server.close({ force: true }).catch(() => {});
    io.stdout.removeListener('error', ignore);
  }
}

/** Resolves when `signal` aborts (never without one), with the signal name if the reason names one. */
function waitForAbort(signal: AbortSignal | undefined): Promise<string | undefined> {
  const name = () => {
    const r = signal?.reason as { signal?: unknown } | string | undefined;
    const n = typeof r === 'string' ? r : r?.signal;
    return typeof n === 'string' && /^SIG[A-Z0-9]+$/.test(n) ? n : undefined;
  };
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve(name());
    else signal.addEventListener('abort', () => resolve(name()), { once: true });
  });
}

function endpointParts(endpoint: NetworkEndpoint, fallbackHost: string): { host: string; port: number } {
  const text = String(endpoint);
  const m = /^\[(.*)\]:(\d+)$/.exec(text) ?? /^(.*):(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: fallbackHost, port: 0 };
}

/** io's onTransferEnd info → what the log needs. */
function servedInfo(info: TftpTransferEndInfo): ServedTransfer {
  const { stats } = info;
  const out: ServedTransfer = {
    op: info.op,
    filename: info.filename,
    mode: info.mode,
    remote: { address: info.remote.address, port: info.remote.port },
    bytes: stats.localBytes,
    blocks: stats.blocks,
    retransmits: stats.retransmits,
    durationMs: info.durationMs,
    // What was granted (the OACK), not what was asked.
    options: optionsReport(info.oack),
  };
  if (info.reason !== undefined && info.reason !== 'complete') out.reason = info.reason;
  if (!info.ok) out.error = info.error ?? new Error('failed');
  return out;
}
