// The TFTP server (RFC 1350 + options RFC 2347/2348/2349/7440), as seed 000 describes: the first
// datagram arrives on the listening channel; each transfer gets a fresh channel on an OS-chosen
// port (or one of `portRange`) that answers the client and carries the whole transfer.
//
// Safety (reference/tftp.md "A safe server"): only requests are taken on the listening port
// (everything else is dropped unanswered); no answer to port 0, broadcast or multicast sources;
// a request from an address:port with a transfer running is a duplicate and starts no second
// transfer (RFC 1350 §4 / tftp.md) — unless that transfer then ends as an option probe (UEFI's
// ERROR 8 after our OACK): the request is then the client's real one and is served at once (see
// `#afterRun`); global and per-client limits; few retransmissions to a peer that never answered
// (reflection); peer strings reach hooks sanitised; a bad datagram never throws out of the loop.

import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import { makeNetworkEndpoint, type NetworkEndpoint, networkEndpointKey } from '@udpkit/endpoint';
import { TftpError, toTftpError } from '../errors.js';
import { sanitizePeerText, type TftpErrorCode, type TftpTransferError } from '../protocol/errors.js';
import type { TransferStats } from '../protocol/machine.js';
import { NetasciiDecoder } from '../protocol/netascii.js';
import { checkRolloverBase, defaultParams, type ServerPolicy } from '../protocol/options.js';
import { decode, encodeError, getOption, MAX_REQUEST_SIZE, type RequestPacket } from '../protocol/packet.js';
import type { Receiver } from '../protocol/receiver.js';
import type { Sender } from '../protocol/sender.js';
import { createServerTransfer } from '../protocol/session.js';
import { openReadFrom, openWriteTo } from '../storage/compose.js';
import { createFsHandler } from '../storage/fs.js';
import type { ReadSource, TftpHandler, TftpRemote, WriteSink } from '../storage/handler.js';
import { checkBusyPoll } from './busy-poll.js';
import { openTransferChannel, type PortRange, receiveWindowCap, sizeBuffers } from './channels.js';
import { type DriverHooks, type DriverOutcome, TransferDriver } from './driver.js';
import { displayError, refusalError } from './errors.js';
import {
  DEFAULT_MAX_TRANSFERS,
  DEFAULT_MAX_TRANSFERS_PER_CLIENT,
  isAnswerableSource,
  plainAddress,
  TransferLimits,
} from './limits.js';
import { ChunkWriter } from './sinks.js';
import { BlockFiller } from './sources.js';
import type { TftpTransferEndInfo, TftpTransferInfo, TftpTransferStats } from './types.js';

export interface TftpServerOptions {
  /** Serve this folder through `createFsHandler` (exactly one of `root` / `handler`). */
  root?: string;
  handler?: TftpHandler;
  /**
   * Bind address. Default `'::'`: every local address, IPv6 and IPv4 (dual-stack; IPv4 clients
   * appear as IPv4 in hooks), falling back to `'0.0.0.0'` where IPv6 is unavailable — a TFTP
   * server exists to serve its network, like tftpd-hpa. Use `'127.0.0.1'` / `'::1'` for loopback only.
   */
  host?: string;
  /** Default 69 (RFC 1350 §4); 0 = a port the OS picks (see `listen()`'s result). */
  port?: number;
  /** With `root`: accept uploads at all (default false). */
  allowWrite?: boolean;
  /** With `root`: uploads may create files (default false). */
  allowCreate?: boolean;
  /** With `root`: uploads may replace files (default false → ERROR 6). */
  allowOverwrite?: boolean;
  /** Largest upload (bytes): a larger tsize or more data → ERROR 3, nothing kept. */
  maxFileSize?: number;
  /** Concurrent transfers, whole server (default 512); beyond → ERROR 3 "server busy". Dallies do not count. */
  maxTransfers?: number;
  /** Concurrent transfers per client address (default 32). Dallies do not count. */
  maxTransfersPerClient?: number;
  /** Cap for blksize (RFC 2348; lowered, never raised). */
  maxBlksize?: number;
  /** Cap for windowsize (RFC 7440). */
  maxWindowsize?: number;
  /** Block number after 65535 when the client does not negotiate `rollover` (default 0, as nearly every peer; 1 for the few that wrap to 1). */
  rolloverBase?: 0 | 1;
  /** `true`: never acknowledge options (plain RFC 1350); a list: these option names are never acknowledged. */
  refuseOptions?: boolean | readonly string[];
  /** Transfer ports come from this range (inclusive) instead of the OS's ephemeral ports (firewalls). */
  portRange?: PortRange;
  /** Initial retransmission timeout (ms, default 1000; adaptive afterwards unless the client negotiates `timeout`). */
  timeoutMs?: number;
  /** Retransmissions without progress before a transfer fails (default 5). */
  retries?: number;
  /** Retransmissions to a client that has sent nothing since its request (default 3): reflection bound. */
  unverifiedRetries?: number;
  /**
   * 'error' (default): datagrams from an unknown TID get ERROR 5 (RFC 1350 §4). 'drop': the transfer
   * channel is connected to the client and drops them silently.
   */
  unknownTid?: 'error' | 'drop';
  /** `close()` waits at most this long (ms) for transfers that dally after their final ACK (default 250). */
  dallyCloseMs?: number;
  /**
   * Microseconds (default 0: off) to busy-poll for the client's answer after each datagram,
   * instead of sleeping: lockstep transfers on loopback or a LAN run about 2× faster, for the
   * CPU of one core while a transfer runs. Polling stops for a transfer whose answers take longer.
   */
  busyPoll?: number;
  onTransferStart?(info: TftpTransferInfo): void;
  onTransferEnd?(info: TftpTransferEndInfo): void;
}

export interface TftpServer extends AsyncDisposable {
  /** Binds the listening channel; resolves to the bound endpoint (the real port). Idempotent. */
  listen(): Promise<NetworkEndpoint>;
  /**
   * Stops accepting requests. Graceful: running transfers end by themselves (dallies are cut
   * after `dallyCloseMs`); `force`: they are aborted now with ERROR 0 to the client. Idempotent.
   */
  close(options?: { force?: boolean }): Promise<void>;
  readonly endpoint: NetworkEndpoint | undefined;
  /** Transfers holding a channel (including the ones dallying after their final ACK). */
  readonly activeTransfers: number;
}

export function createTftpServer(options: TftpServerOptions = {}): TftpServer {
  return new Server(options);
}

interface Run {
  readonly key: string;
  readonly client: string;
  readonly abort: AbortController;
  driver: TransferDriver | undefined;
  channel: DatagramChannel | undefined;
  forced: boolean;
  /** The request that started it (a copy): the same bytes again are a retransmission. */
  readonly request: Uint8Array;
  /** It ended as an option probe (the client's ERROR 8 after our OACK: reason 'option-probe'). */
  probe: boolean;
  /** The latest request from the same address:port that arrived while this run held its key. */
  pending: PendingRequest | undefined;
  readonly settled: Deferred;
  done: Promise<void>;
}

interface PendingRequest {
  /** A copy (the listening loop reuses its buffer); at most MAX_REQUEST_SIZE + 1 bytes. */
  readonly bytes: Uint8Array;
  readonly from: NetworkEndpoint;
  /** performance.now() at arrival. */
  readonly at: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const SHUTDOWN_MESSAGE = 'Server shutting down.';
const BUSY_MESSAGE = 'Server busy, try again later.';
/** ERROR answers from the listening port per second (bad requests, busy), whole server. */
const LISTENER_ERRORS_PER_SECOND = 200;
/** A request held behind an option probe is served only if it arrived at most this long (ms) before the probe ended. */
const PENDING_REQUEST_MS = 2000;
const noop = (): void => {};

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isSafeInteger(v) && v >= min)) {
    throw new RangeError(`createTftpServer: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
}

class Server implements TftpServer {
  readonly #o: TftpServerOptions;
  readonly #handler: TftpHandler;
  readonly #limits: TransferLimits;
  readonly #runs = new Map<string, Run>();
  readonly #policy: ServerPolicy;
  readonly #busyPoll: number;
  #listen: DatagramChannel | undefined;
  #listening: Promise<NetworkEndpoint> | undefined;
  #endpoint: NetworkEndpoint | undefined;
  #bindHost = '::';
  #closing: Promise<void> | undefined;
  #forcing = false;
  #nextId = 0;
  #errors = 0;
  #errorWindow = 0;

  constructor(o: TftpServerOptions) {
    if ((o.root === undefined) === (o.handler === undefined)) {
      throw new TypeError('createTftpServer: give exactly one of root and handler');
    }
    checkCount('port', o.port, 0);
    if (o.port !== undefined && o.port > 65535) throw new RangeError('createTftpServer: port must be 0–65535');
    checkCount('maxTransfers', o.maxTransfers, 1);
    checkCount('maxTransfersPerClient', o.maxTransfersPerClient, 1);
    checkCount('retries', o.retries, 0);
    this.#busyPoll = checkBusyPoll('createTftpServer', o.busyPoll);
    if (o.portRange !== undefined) {
      const { from, to } = o.portRange;
      if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && to <= 65535 && from <= to)) {
        throw new RangeError('createTftpServer: portRange must be { from, to } with 1 ≤ from ≤ to ≤ 65535');
      }
    }
    this.#o = o;
    this.#handler =
      o.handler ??
      createFsHandler({
        root: o.root!,
        allowWrite: o.allowWrite,
        allowCreate: o.allowCreate,
        allowOverwrite: o.allowOverwrite,
        maxFileSize: o.maxFileSize,
      });
    this.#limits = new TransferLimits(
      o.maxTransfers ?? DEFAULT_MAX_TRANSFERS,
      o.maxTransfersPerClient ?? DEFAULT_MAX_TRANSFERS_PER_CLIENT,
    );
    const policy: ServerPolicy = {};
    if (o.refuseOptions === true) policy.refuseAll = true;
    else if (Array.isArray(o.refuseOptions)) policy.refuse = o.refuseOptions;
    if (o.maxBlksize !== undefined) policy.maxBlksize = o.maxBlksize;
    if (o.maxWindowsize !== undefined) policy.maxWindowsize = o.maxWindowsize;
    if (o.rolloverBase !== undefined) policy.rolloverBase = checkRolloverBase('createTftpServer', o.rolloverBase);
    if (o.maxFileSize !== undefined) policy.maxFileSize = o.maxFileSize;
    this.#policy = policy;
  }

  get endpoint(): NetworkEndpoint | undefined {
    return this.#endpoint;
  }

  get activeTransfers(): number {
    return this.#runs.size;
  }

  listen(): Promise<NetworkEndpoint> {
    if (this.#closing) return Promise.reject(new Error('tftp server is closed'));
    if (this.#listening === undefined) {
      const p = this.#bind();
      this.#listening = p;
      // A failed bind (port in use, no permission for port 69) may be retried.
      p.catch(() => {
        if (this.#listening === p) this.#listening = undefined;
      });
    }
    return this.#listening;
  }

  async #bind(): Promise<NetworkEndpoint> {
    const port = this.#o.port ?? 69;
    let host = this.#o.host ?? '::';
    let ch: DatagramChannel;
    try {
      ch = await makeDatagramChannel(makeNetworkEndpoint(host, port));
    } catch (error) {
      if (this.#o.host !== undefined) throw error;
      host = '0.0.0.0'; // no IPv6 here: every IPv4 address
      ch = await makeDatagramChannel(makeNetworkEndpoint(host, port));
    }
    if (this.#closing) {
      datagramChannelClose(ch);
      throw new Error('tftp server is closed');
    }
    this.#listen = ch;
    const ep = datagramChannelLocalEndpoint(ch);
    this.#endpoint = ep === false ? undefined : ep;
    // Transfer channels bind the same (numeric) address: a host name is not looked up again.
    this.#bindHost = ep !== false && typeof ep.address === 'string' ? ep.address : host;
    void this.#accept(ch);
    return this.#endpoint!;
  }

  /** The listening loop: one reused buffer; nothing a peer sends can throw out of it. */
  async #accept(ch: DatagramChannel): Promise<void> {
    // One byte more than the largest request accepted, so that a longer one is seen as too long.
    const buf = new Uint8Array(MAX_REQUEST_SIZE + 1);
    for (;;) {
      let r: [NetworkEndpoint, boolean, number];
      try {
        r = await datagramChannelReceiveFrom(ch, buf);
      } catch {
        if (this.#closing || this.#listen !== ch) return;
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      try {
        this.#onRequest(ch, r[0], buf.subarray(0, Math.min(r[2], buf.length)));
      } catch {
        // never let one datagram stop the server
      }
    }
  }

  #onRequest(ch: DatagramChannel, from: NetworkEndpoint, bytes: Uint8Array): void {
    if (this.#closing) return;
    // Only RRQ (1) and WRQ (2) belong on the listening port; anything else is dropped unanswered.
    if (bytes.length < 2 || bytes[0] !== 0 || (bytes[1] !== 1 && bytes[1] !== 2)) return;
    if (!isAnswerableSource(from)) return;
    const key = networkEndpointKey(from);
    const running = this.#runs.get(key);
    if (running !== undefined) {
      // A retransmitted request while its transfer runs: that transfer answers it (tftp.md), no
      // second transfer. But UEFI's real RRQ follows its tsize probe's ERROR 8 at once, from the
      // same port, and may be read here before the transfer channel reads the ERROR 8: the latest
      // request is kept, and served if the run ends as an option probe (`#afterRun`). The same
      // bytes again, or anything before the run has answered at all (no driver yet: the client
      // cannot have seen our OACK), are retransmissions of the probe.
      if (running.driver !== undefined && Buffer.compare(bytes, running.request) !== 0) {
        running.pending = { bytes: bytes.slice(), from, at: performance.now() };
      }
      return;
    }
    const decoded = decode(bytes);
    if (!decoded.ok) {
      // Our own text: which field was bad.
      this.#answer(ch, from, decoded.error.tftpCode, decoded.error.message);
      return;
    }
    const client = plainAddress(from);
    if (!this.#limits.acquire(client)) {
      this.#answer(ch, from, 3, BUSY_MESSAGE);
      return;
    }
    const run: Run = {
      key,
      client,
      abort: new AbortController(),
      driver: undefined,
      channel: undefined,
      forced: false,
      request: bytes.slice(),
      probe: false,
      pending: undefined,
      settled: deferred(),
      done: Promise.resolve(),
    };
    this.#runs.set(key, run);
    // The slot is given back when the transfer settles; a dally after the final ACK does not hold it.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#limits.release(client);
    };
    void run.settled.promise.then(release);
    run.done = this.#serve(run, decoded.packet as RequestPacket, from)
      .catch(noop)
      .finally(() => {
        run.settled.resolve();
        this.#runs.delete(key);
        release();
        this.#afterRun(run);
      });
  }

  /**
   * A run has given back its key: the request that arrived meanwhile (if any) is served now if
   * the run was an option probe (so the client's real request is not lost), it is recent, and
   * the server is not closing; otherwise it was a duplicate and is dropped.
   */
  #afterRun(run: Run): void {
    const pending = run.pending;
    run.pending = undefined;
    if (pending === undefined || !run.probe) return;
    const ch = this.#listen;
    if (this.#closing || ch === undefined || performance.now() - pending.at > PENDING_REQUEST_MS) return;
    try {
      // As if it had just arrived: the same checks, limits and answers.
      this.#onRequest(ch, pending.from, pending.bytes);
    } catch {
      // never let one datagram stop the server (nor reject `done`, which close() awaits)
    }
  }

  /** An ERROR from the listening port (bad request, busy), at most LISTENER_ERRORS_PER_SECOND: no reflection flood. */
  #answer(ch: DatagramChannel, to: NetworkEndpoint, code: number, message: string): void {
    const t = performance.now();
    if (t - this.#errorWindow > 1000) {
      this.#errorWindow = t;
      this.#errors = 0;
    }
    if (++this.#errors > LISTENER_ERRORS_PER_SECOND) return;
    datagramChannelSendTo(ch, to, encodeError(code, message)).catch(noop);
  }

  async #serve(run: Run, request: RequestPacket, from: NetworkEndpoint): Promise<void> {
    const started = performance.now();
    const address = plainAddress(from);
    const remote: TftpRemote = { address, port: from.port, family: address.indexOf(':') >= 0 ? 'IPv6' : 'IPv4' };
    const info: TftpTransferInfo = {
      id: ++this.#nextId,
      op: request.op === 'RRQ' ? 'read' : 'write',
      filename: sanitizePeerText(request.filename),
      mode: request.mode,
      remote,
      options: request.options.map(([k, v]) => [sanitizePeerText(k, 64), sanitizePeerText(v, 64)] as const),
    };
    this.#hook(() => this.#o.onTransferStart?.(info));
    let ended = false;
    const end = (outcome: DriverOutcome | { ok: false; error: TftpTransferError }, localBytes: number) => {
      if (ended) return;
      ended = true;
      if (outcome.ok && outcome.reason === 'option-probe') run.probe = true;
      run.settled.resolve();
      const stats: TftpTransferStats = {
        ...(('stats' in outcome ? outcome.stats : undefined) ?? emptyStats()),
        localBytes,
        plainRetry: false,
      };
      const endInfo: TftpTransferEndInfo = {
        ...info,
        ok: outcome.ok,
        reason: outcome.ok ? outcome.reason : undefined,
        error: outcome.ok ? undefined : displayError(outcome.error),
        stats,
        durationMs: performance.now() - started,
        oack: stats.oack,
      };
      this.#hook(() => this.#o.onTransferEnd?.(endInfo));
    };

    let channel: DatagramChannel;
    try {
      // Seed 000: a fresh channel, on an OS-chosen port (or one of portRange), answers this client.
      channel = await openTransferChannel(this.#bindHost, this.#o.portRange);
    } catch (error) {
      // No port (e.g. portRange exhausted): the listening port says so, rate-bounded like "busy".
      if (this.#listen !== undefined) this.#answer(this.#listen, from, 3, BUSY_MESSAGE);
      end({ ok: false, error: refusalError(3, 'no transfer port available', error) }, 0);
      return;
    }
    run.channel = channel;
    const refuse = async (error: unknown): Promise<void> => {
      const e = run.forced ? toTftpError(new Error(SHUTDOWN_MESSAGE)) : toTftpError(error);
      const code = run.forced ? 0 : e.errorCode;
      const message = run.forced ? SHUTDOWN_MESSAGE : e.message;
      datagramChannelSendTo(channel, from, encodeError(code, message)).catch(noop);
      end({ ok: false, error: refusalError(code, message, error) }, 0);
      // Let the ERROR leave before the channel goes.
      await new Promise((resolve) => setImmediate(resolve));
      datagramChannelClose(channel);
    };
    if (run.forced) return refuse(undefined);
    try {
      if (request.op === 'RRQ') await this.#serveRead(run, request, from, remote, channel, refuse, end);
      else await this.#serveWrite(run, request, from, remote, channel, refuse, end);
    } catch (error) {
      // Not a path a peer can steer (handlers' errors are refusals above): report, never crash.
      if (run.driver !== undefined) run.driver.close();
      else if (!ended) datagramChannelSendTo(channel, from, encodeError(0, 'Internal error.')).catch(noop);
      end({ ok: false, error: refusalError(0, 'internal error', error) }, 0);
    } finally {
      datagramChannelClose(channel);
    }
  }

  #timing(): { maxRetries?: number; initialRto?: number } {
    const t: { maxRetries?: number; initialRto?: number } = {};
    if (this.#o.retries !== undefined) t.maxRetries = this.#o.retries;
    if (this.#o.timeoutMs !== undefined) t.initialRto = this.#o.timeoutMs;
    return t;
  }

  #driver(
    run: Run,
    channel: DatagramChannel,
    machine: Sender | Receiver,
    from: NetworkEndpoint,
    hooks: DriverHooks,
    receiveSize: number,
  ): TransferDriver {
    const driver = new TransferDriver({
      channel,
      machine,
      peer: from,
      hooks,
      receiveSize,
      unknownTid: this.#o.unknownTid ?? 'error',
      unverifiedRetries: this.#o.unverifiedRetries ?? 3,
      busyPoll: this.#busyPoll,
    });
    run.driver = driver;
    return driver;
  }

  async #serveRead(
    run: Run,
    request: RequestPacket,
    from: NetworkEndpoint,
    remote: TftpRemote,
    channel: DatagramChannel,
    refuse: (error: unknown) => Promise<void>,
    end: (outcome: DriverOutcome | { ok: false; error: TftpTransferError }, localBytes: number) => void,
  ): Promise<void> {
    let source: ReadSource;
    try {
      source = await openReadFrom(this.#handler, {
        filename: request.filename,
        mode: request.mode,
        remote,
        signal: run.abort.signal,
      });
    } catch (error) {
      return refuse(error);
    }
    const filler = new BlockFiller(source, request.mode === 'netascii');
    try {
      if (run.forced) return await refuse(undefined);
      // RFC 2349: tsize is the file's size, known in octet mode only.
      const policy: ServerPolicy =
        request.mode === 'octet' && source.size !== undefined
          ? { ...this.#policy, fileSize: source.size }
          : this.#policy;
      const st = createServerTransfer(request, { policy, ...this.#timing() });
      if (!st.ok) return await refuse(refusalOf(st.error));
      sizeBuffers(channel, st.negotiation.params.blksize, st.negotiation.params.windowsize);
      const driver = this.#driver(run, channel, st.machine, from, { fill: (buffer) => filler.fill(buffer) }, 1028);
      const outcome = await driver.start();
      // A failed read: what the client acknowledged, not what was read ahead from the file.
      end(outcome, outcome.ok ? filler.localBytes : outcome.stats.bytes);
      await driver.closed;
    } finally {
      await filler.close();
      await source.close();
    }
  }

  async #serveWrite(
    run: Run,
    request: RequestPacket,
    from: NetworkEndpoint,
    remote: TftpRemote,
    channel: DatagramChannel,
    refuse: (error: unknown) => Promise<void>,
    end: (outcome: DriverOutcome | { ok: false; error: TftpTransferError }, localBytes: number) => void,
  ): Promise<void> {
    // Negotiate first: a WRQ whose tsize is too big is refused before any file is created (RFC 2349).
    const maxSize = this.#o.maxFileSize;
    let policy = this.#policy;
    const wantWindow = Number(getOption(request.options, 'windowsize') ?? 1);
    if (wantWindow > 1) {
      // RFC 7440 windows we receive must fit our socket buffer: grow it, and cap windowsize to it.
      const wantBlk = Math.min(Number(getOption(request.options, 'blksize') ?? 512) || 512, policy.maxBlksize ?? 65464);
      const cap = receiveWindowCap(channel, Math.max(8, wantBlk), Math.min(wantWindow, 65535));
      policy = { ...policy, maxWindowsize: Math.min(cap, policy.maxWindowsize ?? 65535) };
    }
    const st = createServerTransfer(request, {
      policy,
      ...this.#timing(),
      ...(maxSize === undefined ? {} : { maxSize }),
    });
    if (!st.ok) return refuse(refusalOf(st.error));
    const tsizeText = request.mode === 'octet' ? getOption(request.options, 'tsize') : undefined;
    const size = tsizeText === undefined ? undefined : Number(tsizeText);
    let sink: WriteSink;
    try {
      sink = await openWriteTo(this.#handler, {
        filename: request.filename,
        mode: request.mode,
        remote,
        signal: run.abort.signal,
        ...(size !== undefined && Number.isSafeInteger(size) ? { size } : {}),
      });
    } catch (error) {
      return refuse(error);
    }
    let outcome: DriverOutcome | undefined;
    const decoder = request.mode === 'netascii' ? new NetasciiDecoder() : undefined;
    const writer = new ChunkWriter((chunk) => sink.write(chunk), { reuse: true });
    try {
      if (run.forced) return await refuse(undefined);
      const { blksize, windowsize } = st.negotiation.params;
      sizeBuffers(channel, blksize, windowsize);
      const driver = this.#driver(
        run,
        channel,
        st.machine,
        from,
        {
          deliver: (data) => writer.push(decoder === undefined ? data : decoder.push(data)),
          // The final ACK leaves only once the upload is committed (renamed into place).
          commit: async () => {
            if (decoder !== undefined) {
              const tail = decoder.end();
              if (tail.length > 0) await writer.push(tail);
            }
            await writer.flush();
            await sink.commit();
          },
        },
        4 + blksize + 1,
      );
      outcome = await driver.start();
      if (!outcome.ok || outcome.reason !== 'complete') await sink.abort(outcome.ok ? 'option probe' : outcome.error);
      end(outcome, writer.written);
      await driver.closed;
    } finally {
      if (outcome === undefined) await sink.abort(new Error('transfer did not run'));
    }
  }

  #hook(f: () => void): void {
    try {
      f();
    } catch {
      // a throwing hook must not break the server
    }
  }

  close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) this.#forceAll();
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  #forceAll(): void {
    this.#forcing = true;
    for (const run of this.#runs.values()) {
      if (run.forced) continue;
      run.forced = true;
      run.abort.abort(new Error(SHUTDOWN_MESSAGE));
      run.driver?.abort(0, SHUTDOWN_MESSAGE);
    }
  }

  async #shutdown(): Promise<void> {
    const ch = this.#listen;
    this.#listen = undefined;
    if (ch !== undefined) datagramChannelClose(ch);
    await this.#listening?.catch(noop);
    if (this.#forcing) this.#forceAll();
    // Graceful: running transfers end by themselves.
    await Promise.all([...this.#runs.values()].map((r) => r.settled.promise));
    // Dallies after a final ACK: a short bound, then cut.
    const left = [...this.#runs.values()];
    if (left.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(left.map((r) => r.done)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.#o.dallyCloseMs ?? 250);
        }),
      ]);
      clearTimeout(timer);
      for (const r of this.#runs.values()) r.driver?.close();
      await Promise.all(left.map((r) => r.done));
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** A negotiation refusal (RFC 2347: ERROR 8, or 3 for a too large tsize) as the error to send. */
function refusalOf(error: { code: number; message: string }): TftpError {
  return new TftpError(error.code as TftpErrorCode, error.message);
}

function emptyStats(): TransferStats {
  return {
    bytes: 0,
    blocks: 0,
    retransmits: 0,
    duplicates: 0,
    timeouts: 0,
    durationMs: 0,
    params: defaultParams(),
    oack: undefined,
    srttMs: undefined,
  };
}
