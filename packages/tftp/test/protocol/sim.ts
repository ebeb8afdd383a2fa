// A virtual network for the transfer machines: a client machine and a server machine joined by a
// seeded (or scripted) lossy link with loss, duplication, reordering and delay, on virtual time.
// The "server io" here decodes the request, negotiates and starts its machine, as io/ will.

import {
  decode,
  encodeError,
  type MachineAction,
  type MachineEvent,
  negotiateServer,
  Receiver,
  type RequestPacket,
  Sender,
  type ServerPolicy,
  type TftpPacket,
  type TftpTransferError,
  type TransferParams,
  type TransferStats,
} from '../../src/protocol/index.js';

export type Side = 'client' | 'server';

/** mulberry32: small, seeded, good enough for fault decisions. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SentPacket {
  readonly from: Side;
  readonly at: number;
  readonly packet: TftpPacket;
  /** nth packet sent by this side (0-based). */
  readonly index: number;
}

export interface LinkOptions {
  seed?: number;
  loss?: number;
  duplicate?: number;
  reorder?: number;
  /** One-way delay (ms). */
  delay?: number;
  jitter?: number;
  /** Extra delay of a reordered packet (ms). */
  reorderDelay?: number;
  /** Scripted fate: return 'drop', 'dup', or undefined to use the random model. */
  script?: (sent: SentPacket) => 'drop' | 'dup' | 'pass' | undefined;
}

export interface SimOptions {
  request: RequestPacket;
  policy?: ServerPolicy;
  link?: LinkOptions;
  /** The file the sender sends (wire bytes). */
  file: Uint8Array;
  /** Split each need-data answer's latency (ms) — 0 answers at once (still as a separate event). */
  sourceDelay?: number;
  /** Feed the sender with `data` (copied) rather than `data-written`. */
  copyData?: boolean;
  timing?: { initialRto?: number; minRto?: number; maxRto?: number; maxRetries?: number };
  clientTiming?: { initialRto?: number; minRto?: number; maxRto?: number; maxRetries?: number };
  maxSize?: number;
  dallyMs?: number;
  rolloverBase?: 0 | 1;
  /** Virtual time limit (ms) — passing it means a hang. */
  limit?: number;
  /** Feed raw datagrams instead of decoded packets. */
  raw?: boolean;
  /** Called after each event a machine handled (its actions performed): to watch e.g. its RTO. */
  observe?: (side: Side, machine: Sender | Receiver, event: MachineEvent, now: number) => void;
}

export interface SideResult {
  finish?: { reason: string; stats: TransferStats; at: number };
  fail?: { error: TftpTransferError; stats: TransferStats; at: number };
  closedAt?: number;
  negotiated?: { params: TransferParams; oack: unknown };
  sent: TftpPacket[];
}

export interface SimResult {
  client: SideResult;
  server: SideResult;
  delivered: Uint8Array;
  /** All packets put on the link, in order. */
  log: SentPacket[];
  now: number;
  hung: boolean;
  serverStarted: boolean;
  dataSends: (side?: Side) => number;
  count: (op: TftpPacket['op'], from: Side) => number;
}

type QItem =
  | { at: number; seq: number; kind: 'packet'; to: Side; bytes: Uint8Array }
  | { at: number; seq: number; kind: 'timer'; to: Side; gen: number }
  | { at: number; seq: number; kind: 'data'; to: Side; block: number; buffer: Uint8Array };

/** Binary heap on (at, seq). */
class Queue {
  #h: QItem[] = [];
  get size(): number {
    return this.#h.length;
  }
  #less(a: QItem, b: QItem): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  push(item: QItem): void {
    const h = this.#h;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): QItem | undefined {
    const h = this.#h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

type Machine = Sender | Receiver;

export function simulate(opts: SimOptions): SimResult {
  const link = opts.link ?? {};
  const rand = prng(link.seed ?? 1);
  const q = new Queue();
  let seq = 0;
  let now = 0;
  const limit = opts.limit ?? 3_600_000;
  const results: Record<Side, SideResult> = { client: { sent: [] }, server: { sent: [] } };
  const timerGen: Record<Side, number> = { client: 0, server: 0 };
  const sentCount: Record<Side, number> = { client: 0, server: 0 };
  const log: SentPacket[] = [];
  const chunks: Uint8Array[] = [];
  let deliveredLength = 0;
  const isRead = opts.request.op === 'RRQ';
  const machines: Partial<Record<Side, Machine>> = {};
  const senderSide: Side = isRead ? 'server' : 'client';

  const clientTiming = opts.clientTiming ?? opts.timing ?? {};
  machines.client = isRead
    ? new Receiver({
        role: 'client',
        request: opts.request as Extract<RequestPacket, { op: 'RRQ' }>,
        maxSize: opts.maxSize,
        dallyMs: opts.dallyMs,
        rolloverBase: opts.rolloverBase,
        ...clientTiming,
      })
    : new Sender({
        role: 'client',
        request: opts.request as Extract<RequestPacket, { op: 'WRQ' }>,
        rolloverBase: opts.rolloverBase,
        ...clientTiming,
      });

  const transmit = (from: Side, bytes: Uint8Array) => {
    const copy = bytes.slice(); // slots are reused after the ACK: the wire keeps a copy
    const decoded = decode(copy);
    if (!decoded.ok) throw new Error(`machine sent an undecodable packet: ${decoded.error.message}`);
    const sent: SentPacket = { from, at: now, packet: decoded.packet, index: sentCount[from]++ };
    results[from].sent.push(sent.packet);
    log.push(sent);
    const to: Side = from === 'client' ? 'server' : 'client';
    const fate = link.script?.(sent);
    let copies = 1;
    if (fate === 'drop') copies = 0;
    else if (fate === 'dup') copies = 2;
    else if (fate === undefined) {
      if (rand() < (link.loss ?? 0)) copies = 0;
      else if (rand() < (link.duplicate ?? 0)) copies = 2;
    }
    for (let i = 0; i < copies; i++) {
      let delay = (link.delay ?? 5) + rand() * (link.jitter ?? 0);
      if (fate === undefined && rand() < (link.reorder ?? 0)) delay += link.reorderDelay ?? 3 * (link.delay ?? 5);
      q.push({ at: now + delay, seq: seq++, kind: 'packet', to, bytes: copy });
    }
  };

  const perform = (side: Side, actions: MachineAction[]) => {
    const r = results[side];
    for (const a of actions) {
      if (results[side].closedAt !== undefined) throw new Error(`${side} acted after close: ${a.type}`);
      switch (a.type) {
        case 'send':
          transmit(side, a.bytes);
          break;
        case 'set-timer':
          timerGen[side]++;
          if (a.at < now) throw new Error(`${side} set a timer in the past`);
          q.push({ at: a.at, seq: seq++, kind: 'timer', to: side, gen: timerGen[side] });
          break;
        case 'clear-timer':
          timerGen[side]++;
          break;
        case 'need-data':
          if (side !== senderSide) throw new Error('need-data from a receiver');
          q.push({
            at: now + (opts.sourceDelay ?? 0),
            seq: seq++,
            kind: 'data',
            to: side,
            block: a.block,
            buffer: a.buffer,
          });
          break;
        case 'deliver':
          if (a.offset !== deliveredLength) throw new Error(`deliver at ${a.offset}, expected ${deliveredLength}`);
          chunks.push(a.data.slice());
          deliveredLength += a.data.length;
          break;
        case 'negotiated':
          if (r.negotiated) throw new Error('negotiated twice');
          r.negotiated = { params: a.params, oack: a.oack };
          break;
        case 'finish':
          if (r.finish || r.fail) throw new Error(`${side} finished twice`);
          r.finish = { reason: a.reason, stats: a.stats, at: now };
          break;
        case 'fail':
          if (r.finish || r.fail) throw new Error(`${side} failed after finishing`);
          r.fail = { error: a.error, stats: a.stats, at: now };
          break;
        case 'close':
          r.closedAt = now;
          timerGen[side]++;
          break;
      }
    }
  };

  const feed = (side: Side, event: MachineEvent) => {
    const m = machines[side];
    if (m === undefined) return;
    perform(side, m.handle(event, now));
    opts.observe?.(side, m, event, now);
  };

  feed('client', { type: 'start' });
  let serverStarted = false;
  let steps = 0;
  while (q.size > 0) {
    const item = q.pop()!;
    if (item.at > limit) break;
    now = item.at;
    if (++steps > 20_000_000) break;
    if (item.kind === 'timer') {
      if (item.gen === timerGen[item.to]) feed(item.to, { type: 'timeout' });
      continue;
    }
    if (item.kind === 'data') {
      const m = machines[item.to];
      if (m === undefined || m.closed) continue;
      const off = (item.block - 1) * item.buffer.length;
      const part = opts.file.subarray(
        Math.min(off, opts.file.length),
        Math.min(off + item.buffer.length, opts.file.length),
      );
      if (opts.copyData) feed(item.to, { type: 'data', bytes: part });
      else {
        item.buffer.set(part);
        feed(item.to, { type: 'data-written', length: part.length });
      }
      continue;
    }
    // a packet
    if (item.to === 'server' && !serverStarted) {
      const d = decode(item.bytes);
      if (!d.ok || (d.packet.op !== 'RRQ' && d.packet.op !== 'WRQ')) continue;
      const n = negotiateServer(d.packet, opts.policy);
      serverStarted = true;
      if (!n.ok) {
        // The server io answers ERROR itself, from a fresh port.
        transmit('server', encodeError(n.error.code, n.error.message));
        results.server.closedAt = now;
        continue;
      }
      const config = { role: 'server' as const, negotiation: n, ...(opts.timing ?? {}) };
      machines.server = isRead
        ? new Sender(config)
        : new Receiver({ ...config, maxSize: opts.maxSize, dallyMs: opts.dallyMs });
      feed('server', { type: 'start' });
      continue;
    }
    if (item.to === 'server' && machines.server === undefined) continue;
    const d = decode(item.bytes);
    if (!d.ok) throw new Error('undecodable packet on the link');
    // A request repeated to the well-known port is the server io's business (no second transfer).
    if (item.to === 'server' && (d.packet.op === 'RRQ' || d.packet.op === 'WRQ')) continue;
    if (opts.raw) feed(item.to, { type: 'datagram', bytes: item.bytes });
    else feed(item.to, { type: 'packet', packet: d.packet });
  }
  const delivered = new Uint8Array(deliveredLength);
  let o = 0;
  for (const c of chunks) {
    delivered.set(c, o);
    o += c.length;
  }
  const hung = results.client.closedAt === undefined || (serverStarted && results.server.closedAt === undefined);
  return {
    client: results.client,
    server: results.server,
    delivered,
    log,
    now,
    hung,
    serverStarted,
    dataSends: (side = senderSide) => log.filter((s) => s.from === side && s.packet.op === 'DATA').length,
    count: (op, from) => log.filter((s) => s.from === from && s.packet.op === op).length,
  };
}

export function bytesOf(n: number, seed = 7): Uint8Array {
  const r = prng(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}
