import { describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  isTftpTransferError,
  type MachineAction,
  negotiateServer,
  Receiver,
  type RequestPacket,
  RtoEstimator,
  Sender,
  type TftpPacket,
  TftpTransferError,
  wideBlock,
  wireBlock,
} from '../../src/protocol/index.js';

const sent = (actions: MachineAction[]): TftpPacket[] =>
  actions.flatMap((a) => {
    if (a.type !== 'send') return [];
    const r = decode(a.bytes.slice());
    if (!r.ok) throw new Error('undecodable');
    return [r.packet];
  });
const types = (actions: MachineAction[]) => actions.map((a) => a.type);
const data = (block: number, n: number): TftpPacket => ({ op: 'DATA', block, data: new Uint8Array(n) });
const ack = (block: number): TftpPacket => ({ op: 'ACK', block });
const rrq = (options: [string, string][] = []): RequestPacket & { op: 'RRQ' } => ({
  op: 'RRQ',
  filename: 'f',
  mode: 'octet',
  options,
});
const wrq = (options: [string, string][] = []): RequestPacket & { op: 'WRQ' } => ({
  op: 'WRQ',
  filename: 'f',
  mode: 'octet',
  options,
});

function serverSender(options: [string, string][] = [], policy = {}) {
  const n = negotiateServer(rrq(options), policy);
  if (!n.ok) throw new Error('refused');
  return new Sender({ role: 'server', negotiation: n, initialRto: 100, minRto: 10 });
}
function serverReceiver(options: [string, string][] = [], extra = {}) {
  const n = negotiateServer(wrq(options));
  if (!n.ok) throw new Error('refused');
  return new Receiver({ role: 'server', negotiation: n, initialRto: 100, minRto: 10, ...extra });
}
/** Feeds need-data answers until the machine stops asking; returns all actions. */
function fill(m: Sender, actions: MachineAction[], now: number, sizes: number[]): MachineAction[] {
  const all = [...actions];
  let pending = actions.find((a) => a.type === 'need-data');
  while (pending && sizes.length > 0) {
    const more = m.handle({ type: 'data-written', length: sizes.shift()! }, now);
    all.push(...more);
    pending = more.find((a) => a.type === 'need-data');
  }
  return all;
}

describe('server sender (RRQ)', () => {
  it('plain: start asks for block 1, sends DATA 1 when fed, arms the timer', () => {
    const m = serverSender();
    const a = m.handle({ type: 'start' }, 0);
    expect(types(a)).toEqual(['negotiated', 'need-data']);
    const need = a[1] as Extract<MachineAction, { type: 'need-data' }>;
    expect(need).toMatchObject({ block: 1, offset: 0 });
    expect(need.buffer.length).toBe(512);
    need.buffer.fill(7);
    const b = m.handle({ type: 'data-written', length: 512 }, 1);
    expect(types(b)).toEqual(['send', 'need-data', 'set-timer']);
    expect(sent(b)).toEqual([{ op: 'DATA', block: 1, data: new Uint8Array(512).fill(7) }]);
    expect(b[1]).toMatchObject({ type: 'need-data', block: 2, offset: 512 }); // read-ahead
    expect(b[2]).toEqual({ type: 'set-timer', at: 101 });
  });

  it("Sorcerer's Apprentice: duplicate and old ACKs produce no action at all", () => {
    const m = serverSender();
    let a = fill(m, m.handle({ type: 'start' }, 0), 0, [512, 512, 512]);
    a = m.handle({ type: 'packet', packet: ack(1) }, 10);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'DATA', block: 2 })]);
    for (let i = 0; i < 10; i++) {
      expect(m.handle({ type: 'packet', packet: ack(1) }, 11 + i)).toEqual([]);
      expect(m.handle({ type: 'packet', packet: ack(0) }, 11 + i)).toEqual([]);
    }
    // an ACK for a block never sent is ignored too
    expect(m.handle({ type: 'packet', packet: ack(7) }, 30)).toEqual([]);
    expect(m.stats().duplicates).toBe(21);
    // only the timer resends DATA 2
    const t = m.handle({ type: 'timeout' }, 1000);
    expect(sent(t)).toEqual([expect.objectContaining({ op: 'DATA', block: 2 })]);
    expect(m.stats().retransmits).toBe(1);
  });

  it('an early or stale timeout only re-arms', () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512]);
    const a = m.handle({ type: 'timeout' }, 50);
    expect(a).toEqual([{ type: 'set-timer', at: 100 }]);
  });

  it('windowed: sends the window, then restarts after the ACKed block on a gap ACK', () => {
    const m = serverSender([['windowsize', '4']]);
    let a = m.handle({ type: 'start' }, 0);
    expect(sent(a)).toEqual([{ op: 'OACK', options: [['windowsize', '4']] }]);
    a = m.handle({ type: 'packet', packet: ack(0) }, 10);
    a = fill(m, a, 10, [512, 512, 512, 512, 512, 512, 512, 512]);
    expect(sent(a).map((p) => (p as { block: number }).block)).toEqual([1, 2, 3, 4]);
    // gap ACK 2: resend 3, 4 (counted), then fresh 5, 6
    a = m.handle({ type: 'packet', packet: ack(2) }, 20);
    expect(sent(a).map((p) => (p as { block: number }).block)).toEqual([3, 4, 5]);
    expect(a.find((x) => x.type === 'need-data')).toMatchObject({ block: 6 });
    a = m.handle({ type: 'data-written', length: 512 }, 21);
    expect(sent(a).map((p) => (p as { block: number }).block)).toEqual([6]);
    expect(m.stats().retransmits).toBe(2);
    // an ACK at or below the last processed changes nothing
    expect(sent(m.handle({ type: 'packet', packet: ack(2) }, 21))).toEqual([]);
    expect(sent(m.handle({ type: 'packet', packet: ack(1) }, 21))).toEqual([]);
  });

  it('at most windowsize + 1 block buffers, reused (no per-packet allocation)', () => {
    const m = serverSender([
      ['windowsize', '3'],
      ['blksize', '100'],
    ]);
    m.handle({ type: 'start' }, 0);
    let a = m.handle({ type: 'packet', packet: ack(0) }, 0);
    const buffers = new Set<ArrayBufferLike>();
    let block = 0;
    for (let i = 0; i < 200; i++) {
      for (const x of a) if (x.type === 'need-data') buffers.add(x.buffer.buffer);
      const need = a.find((x) => x.type === 'need-data');
      if (need) a = m.handle({ type: 'data-written', length: 100 }, i);
      else a = m.handle({ type: 'packet', packet: ack(++block) }, i);
    }
    expect(block).toBeGreaterThan(40);
    expect(buffers.size).toBe(4);
  });

  it('UEFI probe: ERROR 8 after our OACK is a normal end, and is not answered', () => {
    const m = serverSender(
      [
        ['tsize', '0'],
        ['blksize', '1468'],
      ],
      { fileSize: 1000 },
    );
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: { op: 'ERROR', code: 8, message: 'User aborted' } }, 5);
    expect(types(a)).toEqual(['finish', 'clear-timer', 'close']);
    expect(a.find((x) => x.type === 'finish')).toMatchObject({ reason: 'option-probe' });
    expect(sent(a)).toEqual([]);
    expect(m.closed).toBe(true);
    expect(m.handle({ type: 'timeout' }, 1000)).toEqual([]);
  });

  it('other errors after the OACK fail without answering', () => {
    const m = serverSender([['blksize', '1468']]);
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: { op: 'ERROR', code: 2, message: 'nope\x1b' } }, 5);
    const f = a.find((x) => x.type === 'fail') as Extract<MachineAction, { type: 'fail' }>;
    expect(f.error).toBeInstanceOf(TftpTransferError);
    expect(f.error).toMatchObject({ code: 'peer-error', tftpCode: 2, peerMessage: 'nope\x1b' });
    expect(f.error.message).toBe('error 2 (access violation) from peer: nope\\x1b');
    expect(sent(a)).toEqual([]);
    expect(types(a).at(-1)).toBe('close');
  });

  it('an unexpected opcode is an illegal operation: ERROR 4, fail', () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512]);
    const a = m.handle({ type: 'packet', packet: data(1, 3) }, 5);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 4 })]);
    expect(a.find((x) => x.type === 'fail')).toMatchObject({ error: { code: 'protocol-error', tftpCode: 4 } });
  });

  it('a malformed datagram from the peer is answered with ERROR 4', () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512]);
    const a = m.handle({ type: 'datagram', bytes: Uint8Array.of(0, 9, 9) }, 5);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 4 })]);
    expect(m.closed).toBe(true);
  });

  it('abort sends the given ERROR and fails with aborted', () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512]);
    const a = m.handle({ type: 'abort', code: 2, message: 'read failed', cause: new Error('EIO') }, 9);
    expect(sent(a)).toEqual([{ op: 'ERROR', code: 2, message: 'read failed' }]);
    const f = a.find((x) => x.type === 'fail') as Extract<MachineAction, { type: 'fail' }>;
    expect(f.error.code).toBe('aborted');
    expect((f.error.cause as Error).message).toBe('EIO');
    expect(f.stats.durationMs).toBe(9);
    expect(isTftpTransferError(f.error)).toBe(true);
    expect(isTftpTransferError(new Error('x'))).toBe(false);
  });

  it('io contract misuse throws', () => {
    const m = serverSender();
    m.handle({ type: 'start' }, 0);
    expect(() => m.handle({ type: 'data-written', length: 513 }, 0)).toThrow(RangeError);
    m.handle({ type: 'data-written', length: 10 }, 0);
    expect(() => m.handle({ type: 'data-written', length: 1 }, 0)).toThrow(/need-data/);
    expect(() => m.handle({ type: 'start' }, 0)).toThrow();
  });

  it("Karn's rule: no RTT sample from a retransmitted block", () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512, 512]);
    m.handle({ type: 'timeout' }, 100); // DATA 1 resent, RTO backs off to 200
    expect(m.rto).toBe(200);
    m.handle({ type: 'packet', packet: ack(1) }, 150);
    expect(m.stats().srttMs).toBeUndefined();
    // No estimate to tell a loss from a too-short RTO: the backoff is kept until a clean sample
    // (Karn, RFC 6298 §5; rto.ts).
    expect(m.rto).toBe(200);
    // DATA 2 went out once at 150: its ACK is a valid sample
    m.handle({ type: 'packet', packet: ack(2) }, 170);
    expect(m.stats().srttMs).toBe(20);
    expect(m.rto).toBe(60);
  });

  it("Karn's rule also holds for blocks resent after a gap ACK", () => {
    const m = serverSender([['windowsize', '4']]);
    m.handle({ type: 'start' }, 0);
    fill(m, m.handle({ type: 'packet', packet: ack(0) }, 10), 10, [512, 512, 512, 10]);
    expect(m.stats().srttMs).toBe(10); // OACK → ACK 0
    expect(sent(m.handle({ type: 'packet', packet: ack(2) }, 20)).length).toBe(2); // 3 and 4 again
    const a = m.handle({ type: 'packet', packet: ack(4) }, 25);
    expect(a.find((x) => x.type === 'finish')).toMatchObject({ stats: { srttMs: 10, retransmits: 2 } });
  });

  it('bounded retries then a timeout error; backoff doubles', () => {
    const m = serverSender();
    fill(m, m.handle({ type: 'start' }, 0), 0, [512]);
    const at: number[] = [];
    let now = 100;
    for (let i = 0; i < 10 && !m.closed; i++) {
      const a = m.handle({ type: 'timeout' }, now);
      const t = a.find((x) => x.type === 'set-timer') as { at: number } | undefined;
      if (t) {
        at.push(t.at - now);
        now = t.at;
      } else expect(a.find((x) => x.type === 'fail')).toMatchObject({ error: { code: 'timeout' } });
    }
    expect(at).toEqual([200, 400, 800, 1600, 3200]);
    expect(m.stats().timeouts).toBe(6);
  });
});

describe('client sender (WRQ)', () => {
  it('accepts ACK 0, ignores later duplicates of it and of the OACK', () => {
    const m = new Sender({ role: 'client', request: wrq() });
    expect(sent(m.handle({ type: 'start' }, 0))).toEqual([wrq()]);
    expect(m.handle({ type: 'packet', packet: ack(5) }, 1)).toEqual([]);
    const a = m.handle({ type: 'packet', packet: ack(0) }, 2);
    expect(types(a)).toContain('need-data');
    expect(a.find((x) => x.type === 'negotiated')).toMatchObject({ oack: undefined, params: { blksize: 512 } });
    fill(m, a, 2, [100]);
    expect(m.handle({ type: 'packet', packet: ack(0) }, 3)).toEqual([]);
    expect(m.handle({ type: 'packet', packet: { op: 'OACK', options: [] } }, 3)).toEqual([]);
  });

  it('an unacceptable OACK is refused with ERROR 8', () => {
    const m = new Sender({ role: 'client', request: wrq([['blksize', '1024']]) });
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: { op: 'OACK', options: [['blksize', '2048']] } }, 1);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 8 })]);
    expect(a.find((x) => x.type === 'fail')).toMatchObject({ error: { code: 'bad-oack', tftpCode: 8 } });
  });

  it('an error to a request with options (but not a definite answer about the file): retryWithoutOptions', () => {
    for (const [options, code, retry] of [
      [[['blksize', '1024']], 8, true],
      [[['blksize', '1024']], 0, true],
      [[['blksize', '1024']], 4, true],
      [[['blksize', '1024']], 5, true],
      [[['blksize', '1024']], 99, true],
      [[['blksize', '1024']], 1, false],
      [[['blksize', '1024']], 2, false],
      [[['blksize', '1024']], 3, false],
      [[['blksize', '1024']], 6, false],
      [[['blksize', '1024']], 7, false],
      [[], 8, false],
    ] as const) {
      const m = new Sender({ role: 'client', request: wrq(options.map((o) => [...o] as [string, string])) });
      m.handle({ type: 'start' }, 0);
      const a = m.handle({ type: 'packet', packet: { op: 'ERROR', code, message: '' } }, 1);
      expect(sent(a)).toEqual([]);
      const f = a.find((x) => x.type === 'fail') as Extract<MachineAction, { type: 'fail' }>;
      expect(f.error.retryWithoutOptions).toBe(retry);
      expect(f.error.tftpCode).toBe(code);
    }
  });

  it('abort before any answer sends nothing (no peer TID yet)', () => {
    const m = new Sender({ role: 'client', request: wrq() });
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'abort' }, 1);
    expect(types(a)).toEqual(['fail', 'clear-timer', 'close']);
  });

  it('junk before the first answer is ignored', () => {
    const m = new Sender({ role: 'client', request: wrq() });
    m.handle({ type: 'start' }, 0);
    expect(m.handle({ type: 'datagram', bytes: Uint8Array.of(1) }, 1)).toEqual([]);
    expect(m.state).toBe('requesting');
  });
});

describe('receiver', () => {
  it('client RRQ: plain DATA 1 means options were ignored; defaults apply', () => {
    const m = new Receiver({ role: 'client', request: rrq([['blksize', '1024']]) });
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: data(1, 512) }, 10);
    expect(a.find((x) => x.type === 'negotiated')).toMatchObject({ oack: undefined, params: { blksize: 512 } });
    expect(a.find((x) => x.type === 'deliver')).toMatchObject({ block: 1, offset: 0 });
    expect(sent(a)).toEqual([ack(1)]);
  });

  it('client RRQ: ERROR 8 to a request with options → retry plain; a plain request → no retry', () => {
    for (const [options, retry] of [
      [[['blksize', '1024']], true],
      [[], false],
    ] as const) {
      const m = new Receiver({ role: 'client', request: rrq(options.map((o) => [...o] as [string, string])) });
      m.handle({ type: 'start' }, 0);
      const a = m.handle({ type: 'packet', packet: { op: 'ERROR', code: 8, message: 'no options' } }, 1);
      expect(sent(a)).toEqual([]);
      expect(a.find((x) => x.type === 'fail')).toMatchObject({
        error: { code: 'peer-error', tftpCode: 8, retryWithoutOptions: retry },
      });
    }
  });

  it('client RRQ: a DATA other than 1 before anything else is ignored', () => {
    const m = new Receiver({ role: 'client', request: rrq() });
    m.handle({ type: 'start' }, 0);
    expect(m.handle({ type: 'packet', packet: data(2, 512) }, 10)).toEqual([]);
  });

  it('client RRQ: OACK → ACK 0; a repeated OACK is ACKed again only before DATA 1', () => {
    const m = new Receiver({ role: 'client', request: rrq([['blksize', '1024']]) });
    m.handle({ type: 'start' }, 0);
    const oack: TftpPacket = { op: 'OACK', options: [['blksize', '1024']] };
    expect(sent(m.handle({ type: 'packet', packet: oack }, 10))).toEqual([ack(0)]);
    expect(sent(m.handle({ type: 'packet', packet: oack }, 11))).toEqual([ack(0)]);
    m.handle({ type: 'packet', packet: data(1, 1024) }, 12);
    expect(sent(m.handle({ type: 'packet', packet: oack }, 13))).toEqual([]);
  });

  it('client RRQ: an OACK adding an option is refused with ERROR 8', () => {
    const m = new Receiver({ role: 'client', request: rrq([['blksize', '1024']]) });
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: { op: 'OACK', options: [['windowsize', '4']] } }, 1);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 8 })]);
  });

  it('server WRQ: ACK 0, then lockstep ACKs; an oversized DATA is an illegal operation', () => {
    const m = serverReceiver();
    expect(sent(m.handle({ type: 'start' }, 0))).toEqual([ack(0)]);
    expect(sent(m.handle({ type: 'packet', packet: data(1, 512) }, 1))).toEqual([ack(1)]);
    const a = m.handle({ type: 'packet', packet: data(2, 513) }, 2);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 4 })]);
  });

  it('windowed: ACK at the window end only; a gap is ACKed once with the last in-order block', () => {
    const m = serverReceiver([['windowsize', '4']]);
    expect(sent(m.handle({ type: 'start' }, 0))).toEqual([{ op: 'OACK', options: [['windowsize', '4']] }]);
    const acks: TftpPacket[] = [];
    for (const b of [1, 2, 3, 4]) acks.push(...sent(m.handle({ type: 'packet', packet: data(b, 512) }, b)));
    expect(acks).toEqual([ack(4)]);
    acks.length = 0;
    for (const b of [5, 7, 8, 6]) acks.push(...sent(m.handle({ type: 'packet', packet: data(b, 512) }, 10 + b)));
    expect(acks).toEqual([ack(5)]);
    // the window restarts after 5: 6..9, so the ACK comes at 9
    for (const b of [6, 7, 8, 9]) acks.push(...sent(m.handle({ type: 'packet', packet: data(b, 512) }, 20 + b)));
    expect(acks).toEqual([ack(5), ack(9)]);
    // a short block is ACKed at once, even mid-window
    expect(sent(m.handle({ type: 'packet', packet: data(10, 3) }, 40))).toEqual([ack(10)]);
  });

  it('old duplicates are dropped; the block last ACKed is re-ACKed', () => {
    const m = serverReceiver([['windowsize', '2']]);
    m.handle({ type: 'start' }, 0);
    m.handle({ type: 'packet', packet: data(1, 512) }, 1);
    expect(sent(m.handle({ type: 'packet', packet: data(2, 512) }, 2))).toEqual([ack(2)]);
    expect(sent(m.handle({ type: 'packet', packet: data(1, 512) }, 3))).toEqual([]);
    expect(sent(m.handle({ type: 'packet', packet: data(2, 512) }, 4))).toEqual([ack(2)]);
    expect(m.stats().duplicates).toBe(2);
  });

  it('finish at the final ACK, dally re-ACKs (bounded), close after the dally time', () => {
    const m = serverReceiver([], { dallyMs: 500, maxRetries: 2 });
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: data(1, 10) }, 7);
    expect(types(a)).toEqual(['deliver', 'send', 'finish']);
    expect(a.find((x) => x.type === 'finish')).toMatchObject({
      reason: 'complete',
      stats: { bytes: 10, blocks: 1, durationMs: 7 },
    });
    expect(m.state).toBe('dallying');
    const re = [8, 9, 10].map((t) => sent(m.handle({ type: 'packet', packet: data(1, 10) }, t)));
    expect(re).toEqual([[ack(1)], [ack(1)], []]);
    expect(m.handle({ type: 'timeout' }, 300)).toEqual([{ type: 'set-timer', at: 507 }]);
    expect(types(m.handle({ type: 'timeout' }, 507))).toEqual(['close']);
    expect(m.closed).toBe(true);
  });

  it('abort while dallying just closes', () => {
    const m = serverReceiver();
    m.handle({ type: 'start' }, 0);
    m.handle({ type: 'packet', packet: data(1, 0) }, 1);
    expect(types(m.handle({ type: 'abort', code: 0 }, 2))).toEqual(['clear-timer', 'close']);
  });

  it('server WRQ: ERROR 8 after our OACK is an option probe', () => {
    const m = serverReceiver([['blksize', '1024']]);
    m.handle({ type: 'start' }, 0);
    const a = m.handle({ type: 'packet', packet: { op: 'ERROR', code: 8, message: '' } }, 1);
    expect(a.find((x) => x.type === 'finish')).toMatchObject({ reason: 'option-probe' });
  });

  it('maxSize counts delivered bytes exactly', () => {
    const m = serverReceiver([], { maxSize: 1024 });
    m.handle({ type: 'start' }, 0);
    m.handle({ type: 'packet', packet: data(1, 512) }, 1);
    m.handle({ type: 'packet', packet: data(2, 512) }, 2);
    const a = m.handle({ type: 'packet', packet: data(3, 1) }, 3);
    expect(sent(a)).toEqual([expect.objectContaining({ op: 'ERROR', code: 3 })]);
    expect(a.find((x) => x.type === 'fail')).toMatchObject({ error: { code: 'too-large', tftpCode: 3 } });
    expect(types(a)).not.toContain('deliver');
  });

  it('deliver hands out a view into the datagram (no copy)', () => {
    const m = serverReceiver();
    m.handle({ type: 'start' }, 0);
    const wire = encode(data(1, 512));
    const a = m.handle({ type: 'datagram', bytes: wire }, 1);
    const d = a.find((x) => x.type === 'deliver') as Extract<MachineAction, { type: 'deliver' }>;
    expect(d.data.buffer).toBe(wire.buffer);
    expect(d.data.byteOffset).toBe(4);
    expect(sent(a)).toEqual([ack(1)]);
  });

  it('ignores everything once closed', () => {
    const m = serverReceiver();
    m.handle({ type: 'start' }, 0);
    m.handle({ type: 'abort' }, 1);
    expect(m.handle({ type: 'packet', packet: data(1, 1) }, 2)).toEqual([]);
    expect(m.handle({ type: 'timeout' }, 2)).toEqual([]);
  });

  it('the encoded request is what the client sends', () => {
    const r = rrq([['tsize', '0']]);
    const m = new Receiver({ role: 'client', request: r });
    const a = m.handle({ type: 'start' }, 0);
    expect(Buffer.from((a[0] as { bytes: Uint8Array }).bytes)).toEqual(Buffer.from(encode(r)));
  });
});

describe('block numbers and RTO', () => {
  it('wire numbers wrap to the rollover base', () => {
    expect([65535, 65536, 65537, 131071, 131072].map((n) => wireBlock(n, 0))).toEqual([65535, 0, 1, 65535, 0]);
    expect([65535, 65536, 65537, 131070, 131071].map((n) => wireBlock(n, 1))).toEqual([65535, 1, 2, 65535, 1]);
    expect(wireBlock(0, 1)).toBe(0);
  });

  it('wide numbers are recovered near the expected block; after a wrap 0 is not block 0', () => {
    for (const base of [0, 1] as const) {
      for (const n of [1, 2, 100, 65534, 65535, 65536, 65537, 140000]) {
        for (const ahead of [0, 1, 16]) expect(wideBlock(wireBlock(n, base), n + ahead, base)).toBe(n);
      }
    }
    expect(wideBlock(0, 65536 + 4, 0)).toBe(65536);
    expect(wideBlock(0, 70000, 1)).toBe(0); // base 1: wire 0 is only ever block 0
    expect(wideBlock(65535, 5, 0)).toBe(-1); // just before the start: an old duplicate
  });

  it('RTO follows RFC 6298 and backs off, bounded', () => {
    const r = new RtoEstimator({ initialRto: 1000, minRto: 10, maxRto: 5000 });
    expect(r.rto).toBe(1000);
    r.sample(100);
    expect(r.srtt).toBe(100);
    expect(r.rto).toBe(300); // 100 + 4·50
    r.sample(100);
    expect(r.rto).toBe(100 + 4 * 37.5);
    r.backoff();
    expect(r.rto).toBe(500);
    for (let i = 0; i < 10; i++) r.backoff();
    expect(r.rto).toBe(5000);
    const f = new RtoEstimator({}, 2000);
    f.sample(5);
    f.backoff();
    expect(f.rto).toBe(2000);
    expect(f.fixed).toBe(true);
  });
});
