// The client against hand-driven servers: TID lock and ERROR 5, plain retry, cancel, timeout.
import { afterEach, describe, expect, it } from 'vitest';
import { isTftpTransferError, tftpGetBytes, tftpPut } from '../../src/index.js';
import { ack, errorPacket, opcode, pattern, type RawPeer, rawPeer, sleep } from './helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

async function peer(family: 4 | 6 = 4): Promise<RawPeer> {
  const p = await rawPeer(family);
  cleanups.push(() => p.close());
  return p;
}

function data(block: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0, 3, block >> 8, block & 0xff]), bytes]);
}

describe('client transfer IDs', () => {
  it('sends the request to the well-known port, locks on the answer’s port, and answers strangers with ERROR 5', async () => {
    const listen = await peer();
    const transfer = await peer();
    const stranger = await peer();
    const body = pattern(700, 5);
    const got = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false });
    const rrq = await listen.next();
    expect(opcode(rrq.data)).toBe(1);
    expect(rrq.data.toString('latin1')).toBe('\0\x01f\0octet\0');
    transfer.send(data(1, body.subarray(0, 512)), rrq.port);
    const a1 = await transfer.next();
    expect(a1.data).toEqual(ack(1));
    // Another port of the same host: unknown TID (RFC 1350 §4), the transfer goes on.
    stranger.send(data(2, body.subarray(512)), rrq.port);
    const e5 = await stranger.next();
    expect(opcode(e5.data)).toBe(5);
    expect(e5.data.readUInt16BE(2)).toBe(5);
    // The well-known port is a stranger too now.
    listen.send(data(2, body.subarray(512)), rrq.port);
    expect(opcode((await listen.next()).data)).toBe(5);
    transfer.send(data(2, body.subarray(512)), rrq.port);
    // Skip a repeated ACK 1 (the receiver's backstop timer may fire on a slow machine).
    let reply = await transfer.next();
    while (reply.data.equals(ack(1))) reply = await transfer.next();
    expect(reply.data).toEqual(ack(2));
    expect(Buffer.from(await got)).toEqual(Buffer.from(body));
  });

  it("with unknownTid 'drop' the client connects its channel and strangers get nothing", async () => {
    const listen = await peer();
    const transfer = await peer();
    const stranger = await peer();
    const got = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false, unknownTid: 'drop' });
    const rrq = await listen.next();
    transfer.send(data(1, pattern(512, 1)), rrq.port);
    expect((await transfer.next()).data).toEqual(ack(1));
    stranger.send(data(2, pattern(5, 2)), rrq.port);
    expect(await stranger.collect(100)).toEqual([]);
    transfer.send(data(2, pattern(5, 3)), rrq.port);
    // (Our ACK 1 may come again meanwhile: the receiver's backstop timer.)
    const acks = (await transfer.collect(200)).map((d) => d.data.readUInt16BE(2));
    expect(acks.at(-1)).toBe(2);
    const bytes = await got;
    expect(Buffer.from(bytes.subarray(512))).toEqual(Buffer.from(pattern(5, 3))); // the peer's, not the stranger's
  });

  it('dallies: a repeated final DATA is ACKed again after the call resolved', async () => {
    const listen = await peer();
    const transfer = await peer();
    const got = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false });
    const rrq = await listen.next();
    transfer.send(data(1, pattern(10)), rrq.port);
    expect((await transfer.next()).data).toEqual(ack(1));
    expect((await got).length).toBe(10);
    transfer.send(data(1, pattern(10)), rrq.port); // our ACK "was lost"
    expect((await transfer.next()).data).toEqual(ack(1));
  });

  it('retries without options when the server refuses them with ERROR 8 (RFC 2347)', async () => {
    const listen = await peer();
    const transfer = await peer();
    const p = tftpPut(`127.0.0.1:${listen.port}`, 'up', pattern(100, 2), { blksize: 1468 });
    const first = await listen.next();
    expect(first.data.toString('latin1')).toContain('blksize\x001468\x00tsize\x00100\x00');
    transfer.send(errorPacket(8, 'no options here'), first.port);
    const second = await listen.next();
    expect(second.data.toString('latin1')).toBe('\0\x02up\0octet\0');
    expect(second.port).not.toBe(first.port); // a fresh channel for the new request
    transfer.send(ack(0), second.port);
    const d1 = await transfer.next();
    expect(d1.data.length).toBe(104);
    transfer.send(ack(1), second.port);
    const stats = await p;
    expect(stats.plainRetry).toBe(true);
    expect(stats.bytes).toBe(100);
  });

  it('does not retry a definite answer (file not found)', async () => {
    const listen = await peer();
    const p = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { blksize: 1468 });
    const first = await listen.next();
    listen.send(errorPacket(1, 'nope'), first.port);
    await expect(p).rejects.toMatchObject({
      code: 'peer-error',
      tftpCode: 1,
      message: 'error 1 (file not found): nope',
    });
    expect(await listen.collect(100)).toEqual([]);
  });

  it('a server ERROR text is sanitised in the error', async () => {
    const listen = await peer();
    const p = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false });
    const first = await listen.next();
    listen.send(errorPacket(2, 'bad\x1b[2J\nthing'), first.port);
    const e = await p.catch((x: unknown) => x);
    expect(isTftpTransferError(e)).toBe(true);
    expect((e as Error).message).toBe('error 2 (access violation): bad\\x1b[2J\\x0athing');
  });
});

describe('bad arguments', () => {
  it('reject before any traffic and leave nothing open', async () => {
    const listen = await peer();
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWRAP').length;
    const before = handles();
    const at = `127.0.0.1:${listen.port}`;
    await expect(tftpGetBytes(at, 'x'.repeat(600))).rejects.toThrow(RangeError); // request > 512 bytes
    await expect(tftpGetBytes(at, 'f', { blksize: 7 })).rejects.toThrow(RangeError);
    await expect(tftpGetBytes(at, 'f', { windowsize: 0 })).rejects.toThrow(RangeError);
    await expect(tftpGetBytes(at, 'f', { timeout: 300 })).rejects.toThrow(RangeError);
    await expect(tftpGetBytes(at, 'f', { mode: 'mail' as 'octet' })).rejects.toThrow(TypeError);
    await expect(tftpGetBytes(at, 'fé')).rejects.toThrow(TypeError); // not ASCII
    await expect(tftpGetBytes(at, '')).rejects.toThrow(TypeError);
    await expect(tftpPut(at, '', new Uint8Array(1))).rejects.toThrow(TypeError);
    await expect(tftpGetBytes('no such host.invalid', 'f')).rejects.toThrow();
    await expect(tftpGetBytes(at, 'f', { busyPoll: -1 })).rejects.toThrow(RangeError);
    // A plain { address, port } is not a NetworkEndpoint: a TypeError saying so, not a failed transfer.
    const plainObject = { address: '127.0.0.1', port: listen.port } as unknown as string;
    await expect(tftpGetBytes(plainObject, 'f')).rejects.toThrow(
      'tftp: the server must be a string "HOST[:PORT]" or a NetworkEndpoint (makeNetworkEndpoint), got object',
    );
    expect(await listen.collect(50)).toEqual([]);
    expect(handles()).toBe(before);
  });
});

describe('cancel and timeout', () => {
  it('cancelling with a signal sends ERROR to the server and rejects with signal.reason', async () => {
    const listen = await peer();
    const transfer = await peer();
    const ac = new AbortController();
    const p = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false, signal: ac.signal });
    const rrq = await listen.next();
    transfer.send(data(1, pattern(512)), rrq.port);
    expect((await transfer.next()).data).toEqual(ack(1));
    const reason = new Error('user pressed ^C');
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    const e = await transfer.next();
    expect(opcode(e.data)).toBe(5);
    expect(e.data.readUInt16BE(2)).toBe(0);
    expect(e.data.toString('latin1')).toContain('cancelled');
  });

  it('an already aborted signal rejects before any traffic', async () => {
    const listen = await peer();
    const ac = new AbortController();
    ac.abort();
    await expect(tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { signal: ac.signal })).rejects.toBe(ac.signal.reason);
    expect(await listen.collect(50)).toEqual([]);
  });

  it('cancelling during an upload tells the server too', async () => {
    const listen = await peer();
    const transfer = await peer();
    const ac = new AbortController();
    const p = tftpPut(`127.0.0.1:${listen.port}`, 'up', pattern(10_000), { options: false, signal: ac.signal });
    const wrq = await listen.next();
    transfer.send(ack(0), wrq.port);
    expect((await transfer.next()).data.readUInt16BE(2)).toBe(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const e = (await transfer.collect(100)).find((d) => opcode(d.data) === 5);
    expect(e).toBeDefined();
  });

  it('gives up with code timeout when the server never answers', async () => {
    const listen = await peer();
    const started = Date.now();
    const e = await tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { retries: 1, options: false }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const requests = await listen.collect(10);
    expect(requests.length).toBe(2); // the request and one retransmission
  });

  it('ignores answers from other hosts before it locks on the server', async () => {
    const listen = await peer();
    const other = await peer(6);
    const p = tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { options: false });
    const rrq = await listen.next();
    // From ::1 — not the server's address: ignored (the channel is IPv4 anyway).
    try {
      other.send(data(1, pattern(3)), rrq.port, '::1');
    } catch {
      // nothing listens on IPv6 there
    }
    await sleep(50);
    listen.send(data(1, pattern(3)), rrq.port);
    expect((await p).length).toBe(3);
  });
});
