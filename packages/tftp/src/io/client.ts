// The TFTP client. Per cowan.md (and seed 000's intent): the request goes out with send-to from a
// fresh unconnected channel to the server's well-known port; the first answer's source (same
// address, a new port: RFC 1350 §4) becomes the transfer's peer. Options (RFC 2347) are asked for
// as given; when the server refuses them the request is retried once plain (RFC 2347 §"Option
// negotiation"). Data streams through with constant memory (only tftpGetBytes collects it).

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { NetworkEndpoint } from '@udpkit/endpoint';
import { NetasciiDecoder } from '../protocol/netascii.js';
import { buildRequestOptions, type ClientOptionRequest, checkRolloverBase } from '../protocol/options.js';
import type { RequestPacket, RrqPacket, TransferMode, WrqPacket } from '../protocol/packet.js';
import { createClientTransfer, withoutOptions } from '../protocol/session.js';
import { placeTempFile } from '../storage/place.js';
import { checkBusyPoll } from './busy-poll.js';
import { openClientChannel, resolveServer, sizeBuffers } from './channels.js';
import { type DriverHooks, TransferDriver } from './driver.js';
import { displayError } from './errors.js';
import { ChunkWriter, type TftpGetSink, userSink } from './sinks.js';
import { BlockFiller, putSourceChunks, type TftpPutSource } from './sources.js';
import type { TftpTransferStats } from './types.js';

export interface TftpClientOptions {
  /** Transfer mode (default 'octet'); netascii converts line ends both ways (RFC 1350 "Modes"). */
  mode?: 'octet' | 'netascii';
  /** Ask for this block size (RFC 2348, 8–65464). Not sent when omitted. */
  blksize?: number;
  /** Ask for this window size (RFC 7440, 1–65535). Not sent when omitted. */
  windowsize?: number;
  /** Ask for this retransmission timeout in seconds (RFC 2349, 1–255). Not sent when omitted. */
  timeout?: number;
  /**
   * Ask for this retransmission timeout in microseconds (tftp-hpa's `utimeout`, 10000–255000000).
   * Not sent when omitted. With `timeout` too, both are asked for and `utimeout` wins.
   */
  utimeout?: number;
  /** Ask for / state the transfer size (RFC 2349; octet only). Default true. */
  tsize?: boolean;
  /** Retransmissions without progress before giving up (default 5). */
  retries?: number;
  /** Ask for this block-number rollover (0 or 1); without it, we wrap to 0 like nearly every peer. */
  rollover?: 0 | 1;
  /** Block number after 65535 when the server does not negotiate `rollover` (default 0; 1 for the few servers that wrap to 1). */
  rolloverBase?: 0 | 1;
  /** Cancel: the server gets ERROR 0 and the call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called as data moves (every 64 KiB and at the end); `total` when known (tsize). */
  onProgress?(p: { bytes: number; total?: number }): void;
  /** false: send a plain RFC 1350 request (no options at all). */
  options?: boolean;
  /** Linger after the final ACK of a download to re-ACK a repeated last block (ms; default: one timeout, ≥ 1 s). */
  dallyMs?: number;
  /** Downloads: refuse files larger than this (ERROR 3 to the server). */
  maxSize?: number;
  /** 'error' (default): datagrams from an unknown TID get ERROR 5. 'drop': connect the channel, drop them silently. */
  unknownTid?: 'error' | 'drop';
  /**
   * Microseconds (default 0: off) to busy-poll for the server's answer after each datagram,
   * instead of sleeping: faster on loopback or a LAN, for the CPU of one core while it runs.
   */
  busyPoll?: number;
}

export interface TftpPutOptions extends TftpClientOptions {
  /** The size of the data (sent as tsize in octet mode); taken from bytes or a file when omitted. */
  size?: number;
}

export interface TftpGetFileOptions extends TftpClientOptions {
  /** Replace an existing local file (default false: refuse before any network traffic). */
  overwrite?: boolean;
}

/** Progress is reported every this many bytes. */
const PROGRESS_STEP = 64 * 1024;

function optionRequest(options: TftpClientOptions, tsize: number | boolean | undefined): ClientOptionRequest {
  const want: ClientOptionRequest = {};
  if (options.blksize !== undefined) want.blksize = options.blksize;
  if (options.windowsize !== undefined) want.windowsize = options.windowsize;
  if (options.timeout !== undefined) want.timeout = options.timeout;
  if (options.utimeout !== undefined) want.utimeout = options.utimeout;
  if (options.rollover !== undefined) want.rollover = options.rollover;
  if (tsize !== undefined) want.tsize = tsize;
  return want;
}

function modeOf(options: TftpClientOptions): TransferMode {
  const mode = options.mode ?? 'octet';
  if (mode !== 'octet' && mode !== 'netascii') throw new TypeError(`mode must be 'octet' or 'netascii', got ${mode}`);
  return mode;
}

interface Attempt {
  hooks: DriverHooks;
  localBytes(): number;
  /** Called on failure (not before a plain retry). */
  fail(error: unknown): Promise<void>;
}

/** One transfer with the plain retry; `attempt` is made once (nothing is consumed before the first answer). */
async function run(
  server: string | NetworkEndpoint,
  request: RequestPacket,
  options: TftpClientOptions,
  attempt: Attempt,
): Promise<TftpTransferStats> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const busyPoll = checkBusyPoll('tftp client', options.busyPoll);
  const rolloverBase =
    options.rolloverBase === undefined ? undefined : checkRolloverBase('tftp client', options.rolloverBase);
  let failure: unknown;
  try {
    const to = await resolveServer(server, signal);
    let req = request;
    let plainRetry = false;
    for (;;) {
      signal?.throwIfAborted();
      const timing: Parameters<typeof createClientTransfer>[1] = {};
      if (options.retries !== undefined) timing.maxRetries = options.retries;
      if (options.timeout !== undefined) timing.initialRto = options.timeout * 1000;
      // tftp-hpa's utimeout (µs) wins over timeout, as in negotiation (options.ts): ms here.
      if (options.utimeout !== undefined) timing.initialRto = options.utimeout / 1000;
      if (options.dallyMs !== undefined) timing.dallyMs = options.dallyMs;
      if (options.maxSize !== undefined) timing.maxSize = options.maxSize;
      if (rolloverBase !== undefined) timing.rolloverBase = rolloverBase;
      // Built before the channel: a request it refuses (e.g. longer than 512 bytes) leaks nothing.
      const machine = createClientTransfer(req, timing);
      const channel = await openClientChannel(to);
      const blksize = options.blksize ?? 512;
      const hooks: DriverHooks = {
        ...attempt.hooks,
        negotiated(params, oack) {
          sizeBuffers(channel, params.blksize, params.windowsize);
          attempt.hooks.negotiated?.(params, oack);
        },
      };
      const driver = new TransferDriver({
        channel,
        machine,
        requestTo: to,
        hooks,
        receiveSize: 4 + Math.max(blksize, 512) + 1,
        unknownTid: options.unknownTid ?? 'error',
        busyPoll,
      });
      const onAbort = () => driver.abort(0, 'Transfer cancelled.');
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort(); // aborted while the channel was being opened
      let outcome: Awaited<TransferDriver['outcome']>;
      try {
        outcome = await driver.start();
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      if (outcome.ok) return { ...outcome.stats, localBytes: attempt.localBytes(), plainRetry };
      if (signal?.aborted) throw signal.reason;
      const e = outcome.error;
      if (e.retryWithoutOptions && req.options.length > 0 && !plainRetry) {
        // RFC 2347: a server that does not take options may take the plain request.
        driver.close();
        req = withoutOptions(req);
        plainRetry = true;
        continue;
      }
      throw displayError(e);
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    if (failure !== undefined) await attempt.fail(failure);
  }
}

/** Download side: netascii decoding (RFC 1350 "Modes", at the sink), coalescing, progress. */
function getAttempt(
  write: (chunk: Uint8Array) => void | Promise<void>,
  reuse: boolean,
  options: TftpClientOptions,
  mode: TransferMode,
  close: () => Promise<void>,
  abort: (error: unknown) => Promise<void>,
): Attempt {
  const decoder = mode === 'netascii' ? new NetasciiDecoder() : undefined;
  const writer = new ChunkWriter(write, { reuse });
  const onProgress = options.onProgress;
  let total: number | undefined;
  let bytes = 0;
  let reported = 0;
  const report = () => {
    reported = bytes;
    try {
      onProgress!(total === undefined ? { bytes } : { bytes, total });
    } catch {
      // a progress callback cannot break the transfer
    }
  };
  const push = (data: Uint8Array) => {
    bytes += data.length;
    const p = writer.push(data);
    if (onProgress !== undefined && bytes - reported >= PROGRESS_STEP) report();
    return p;
  };
  return {
    hooks: {
      negotiated(params) {
        total = params.tsize;
      },
      deliver: (data) => push(decoder === undefined ? data : decoder.push(data)),
      // Before the final ACK: everything is in the sink (a failure here is told to the server).
      commit: async () => {
        if (decoder !== undefined) {
          const tail = decoder.end();
          if (tail.length > 0) await push(tail);
        }
        await writer.flush();
        await close();
        if (onProgress !== undefined) report();
      },
    },
    localBytes: () => bytes,
    fail: abort,
  };
}

function checkRemote(remote: string): void {
  if (typeof remote !== 'string' || remote.length === 0)
    throw new TypeError('the remote filename must be a non-empty string');
}

function rrq(remote: string, mode: TransferMode, options: TftpClientOptions): RrqPacket {
  checkRemote(remote);
  const opts =
    options.options === false ? [] : buildRequestOptions('RRQ', mode, optionRequest(options, options.tsize ?? true));
  return { op: 'RRQ', filename: remote, mode, options: opts };
}

/**
 * Downloads `remote` into `sink`: a web WritableStream (closed at the end), a Node writable
 * (ended at the end, except stdout/stderr) or a function (awaited per chunk). Resolves with the
 * stats once everything is in the sink (the final ACK is sent after that; dallying goes on in the
 * background and never delays the result).
 */
export async function tftpGet(
  server: string | NetworkEndpoint,
  remote: string,
  sink: TftpGetSink,
  options: TftpClientOptions = {},
): Promise<TftpTransferStats> {
  const mode = modeOf(options);
  const request = rrq(remote, mode, options);
  const s = userSink(sink);
  return run(
    server,
    request,
    options,
    getAttempt(
      (chunk) => s.write(chunk),
      false,
      options,
      mode,
      () => s.close(),
      (e) => s.abort(e),
    ),
  );
}

/**
 * Downloads `remote` as a web ReadableStream. Backpressure: while the stream's queue is full
 * (256 KiB) no more data is taken, so ACKs wait and the server slows down. Cancelling the stream
 * cancels the transfer (the server gets ERROR 0).
 */
export function tftpGetStream(
  server: string | NetworkEndpoint,
  remote: string,
  options: TftpClientOptions = {},
): ReadableStream<Uint8Array> {
  const ac = new AbortController();
  const signal = options.signal === undefined ? ac.signal : AbortSignal.any([options.signal, ac.signal]);
  let resume: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const write = (chunk: Uint8Array): void | Promise<void> => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 1) > 0) return;
          return new Promise<void>((resolve) => {
            resume = resolve;
          });
        };
        tftpGet(server, remote, write, { ...options, signal }).then(
          () => controller.close(),
          (error: unknown) => {
            if (!ac.signal.aborted) controller.error(error);
          },
        );
      },
      pull() {
        const r = resume;
        resume = undefined;
        r?.();
      },
      cancel(reason) {
        ac.abort(reason);
        resume?.();
      },
    },
    { highWaterMark: 256 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/** Downloads `remote` into memory (the one call that buffers a whole file). */
export async function tftpGetBytes(
  server: string | NetworkEndpoint,
  remote: string,
  options: TftpClientOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  await tftpGet(
    server,
    remote,
    (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
    },
    options,
  );
  if (chunks.length === 1) {
    const only = chunks[0]!;
    // A view of a partly used staging chunk: hand out exactly the bytes.
    return only.byteLength === only.buffer.byteLength ? only : only.slice();
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Downloads `remote` to `localPath` through a temp file in the same folder, renamed into place on
 * success and removed on failure. An existing file is refused (before any traffic) unless
 * `overwrite`.
 */
export async function tftpGetFile(
  server: string | NetworkEndpoint,
  remote: string,
  localPath: string,
  options: TftpGetFileOptions = {},
): Promise<TftpTransferStats> {
  const target = path.resolve(localPath);
  const overwrite = options.overwrite ?? false;
  if (!overwrite && (await exists(target))) {
    throw Object.assign(new Error(`tftpGetFile: ${localPath} already exists (use overwrite)`), { code: 'EEXIST' });
  }
  const mode = modeOf(options);
  const request = rrq(remote, mode, options);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tftp-part`);
  const fh = await open(temp, 'wx');
  let closed = false;
  const closeFh = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  const write = async (chunk: Uint8Array) => {
    let off = 0;
    while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
  };
  const place = async () => {
    await closeFh();
    if (!(await placeTempFile(temp, target, overwrite))) {
      throw Object.assign(new Error(`tftpGetFile: ${localPath} already exists (use overwrite)`), { code: 'EEXIST' });
    }
  };
  const remove = async () => {
    await closeFh().catch(() => {});
    await unlink(temp).catch(() => {});
  };
  return run(server, request, options, getAttempt(write, true, options, mode, place, remove));
}

function wrq(remote: string, mode: TransferMode, options: TftpClientOptions, size: number | undefined): WrqPacket {
  checkRemote(remote);
  const tsize = options.tsize !== false && size !== undefined ? size : undefined;
  const opts = options.options === false ? [] : buildRequestOptions('WRQ', mode, optionRequest(options, tsize));
  return { op: 'WRQ', filename: remote, mode, options: opts };
}

/**
 * Uploads `source` (bytes, a web ReadableStream, a Node readable or an (async) iterable of chunks)
 * as `remote`. The size is stated with tsize (octet) when known: from bytes, or `options.size`.
 */
export async function tftpPut(
  server: string | NetworkEndpoint,
  remote: string,
  source: TftpPutSource,
  options: TftpPutOptions = {},
): Promise<TftpTransferStats> {
  const mode = modeOf(options);
  const { chunks, size: known } = putSourceChunks(source);
  const size = options.size ?? known;
  const request = wrq(remote, mode, options, size);
  const filler = new BlockFiller(chunks, mode === 'netascii');
  const onProgress = options.onProgress;
  let reported = 0;
  const report = () => {
    reported = filler.localBytes;
    try {
      onProgress!(size === undefined ? { bytes: reported } : { bytes: reported, total: size });
    } catch {
      // a progress callback cannot break the transfer
    }
  };
  const stats = await run(server, request, options, {
    hooks: {
      fill(buffer) {
        if (onProgress !== undefined && filler.localBytes - reported >= PROGRESS_STEP) report();
        return filler.fill(buffer);
      },
    },
    localBytes: () => filler.localBytes,
    fail: () => filler.close(),
  });
  if (onProgress !== undefined) report();
  return stats;
}

/** Uploads the file at `localPath` as `remote`, reading it in 256 KiB chunks (size stated as tsize). */
export async function tftpPutFile(
  server: string | NetworkEndpoint,
  localPath: string,
  remote: string,
  options: TftpPutOptions = {},
): Promise<TftpTransferStats> {
  const fh = await open(localPath, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw Object.assign(new Error(`tftpPutFile: ${localPath} is not a regular file`), { code: 'EISDIR' });
    return await tftpPut(server, remote, fileChunks(fh), { size: st.size, ...options });
  } finally {
    await fh.close();
  }
}

/** Two buffers in turn: the block filler reads one chunk ahead and copies a chunk out before taking the next. */
async function* fileChunks(fh: FileHandle): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(256 * 1024), new Uint8Array(256 * 1024)];
  for (let i = 0; ; i ^= 1) {
    const buffer = buffers[i]!;
    const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return;
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  }
}
