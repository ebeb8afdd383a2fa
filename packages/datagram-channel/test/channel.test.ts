// Cowan's eleven procedures, on IPv4 and IPv6 loopback, ephemeral ports only.

import { isNetworkEndpoint, makeNetworkEndpoint } from '@udpkit/endpoint';
import { ExnFailContract, ExnFailNetwork } from '@udpkit/udp-racket';
import { describe, expect, test } from 'vitest';
import {
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelDisconnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelRemoteEndpoint,
  datagramChannelSend,
  datagramChannelSendTo,
  isDatagramChannel,
  makeDatagramChannel,
  makeOutputOnlyDatagramChannel,
  scheme,
} from '../src/index.js';
import { addressOf, bytes, channelOn, FAMILIES, outputOnly, rejection, sleep, text, thrown, track } from './helpers.js';

describe('make-datagram-channel', () => {
  test('default: (make-network-endpoint #t 0) — host #t, a real port', async () => {
    const ch = track(await makeDatagramChannel());
    const local = datagramChannelLocalEndpoint(ch);
    expect(isNetworkEndpoint(local)).toBe(true);
    if (local === false) throw new Error('no local endpoint');
    expect(local.address).toBe(true);
    expect(local.port).toBeGreaterThan(0);
    // reachable on loopback through that port
    const other = await channelOn('127.0.0.1');
    await datagramChannelSendTo(other, makeNetworkEndpoint('127.0.0.1', local.port), bytes('hi'));
    const buf = new Uint8Array(10);
    const [from, complete, n] = await datagramChannelReceiveFrom(ch, buf);
    expect([from.address, from.port, complete, n, text(buf, n)]).toEqual([
      '127.0.0.1',
      addressOf(other).port,
      true,
      2,
      'hi',
    ]);
  });

  test('the local endpoint is acceptable to another make-datagram-channel', async () => {
    const ch = await channelOn('127.0.0.1');
    const local = addressOf(ch);
    datagramChannelClose(ch);
    const again = track(await makeDatagramChannel(local));
    expect(addressOf(again).port).toBe(local.port);
  });

  test('a host name is resolved when the channel is made', async () => {
    const ch = track(await makeDatagramChannel(makeNetworkEndpoint('localhost', 0)));
    const local = addressOf(ch);
    expect(['127.0.0.1', '::1']).toContain(local.address);
    expect(local.port).toBeGreaterThan(0);
  });

  test('binding a port in use raises ExnFailNetworkErrno named after make-datagram-channel', async () => {
    const ch = await channelOn('127.0.0.1');
    const e = (await rejection(makeDatagramChannel(addressOf(ch)))) as Error & { errno?: unknown };
    expect(e).toBeInstanceOf(ExnFailNetwork);
    expect(e.message).toMatch(/^make-datagram-channel: can't bind\n/);
    expect(e.message).toContain('Address already in use; errno=98');
    expect(e.errno).toEqual([98, 'posix']);
  });

  test('a non-endpoint argument is a contract violation', async () => {
    const e = (await rejection(makeDatagramChannel('127.0.0.1' as never))) as Error;
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toBe(
      'make-datagram-channel: contract violation\n  expected: network-endpoint?\n  given: "127.0.0.1"',
    );
  });

  test('an already aborted signal rejects with its reason before any I/O', async () => {
    const reason = new Error('stop');
    const c = new AbortController();
    c.abort(reason);
    expect(await rejection(makeDatagramChannel(undefined, { signal: c.signal }))).toBe(reason);
    expect(await rejection(makeDatagramChannel({ signal: c.signal }))).toBe(reason);
  });
});

describe('datagram-channel? and the scheme map', () => {
  test('datagram-channel?', async () => {
    const ch = await channelOn('127.0.0.1');
    const out = await outputOnly();
    expect(isDatagramChannel(ch)).toBe(true);
    expect(isDatagramChannel(out)).toBe(true);
    datagramChannelClose(ch);
    expect(isDatagramChannel(ch)).toBe(true); // still a channel, just closed
    for (const v of [null, undefined, 5, 'x', {}, makeNetworkEndpoint(1), new Uint8Array(1)]) {
      expect(isDatagramChannel(v)).toBe(false);
    }
    expect(String(ch)).toBe('#<datagram-channel>');
    expect(Object.prototype.toString.call(ch)).toBe('[object datagram-channel]');
  });

  test('scheme: frozen, keyed by the spec names, same function objects', () => {
    expect(Object.isFrozen(scheme)).toBe(true);
    expect(Object.keys(scheme).sort()).toEqual(
      [
        'make-datagram-channel',
        'make-output-only-datagram-channel',
        'datagram-channel?',
        'datagram-channel-local-endpoint',
        'datagram-channel-send-to',
        'datagram-channel-receive-from',
        'datagram-channel-connect!',
        'datagram-channel-disconnect!',
        'datagram-channel-remote-endpoint',
        'datagram-channel-send',
        'datagram-channel-close',
      ].sort(),
    );
    expect(scheme['datagram-channel-send-to']).toBe(datagramChannelSendTo);
    expect(scheme['datagram-channel?']).toBe(isDatagramChannel);
    expect(scheme['make-output-only-datagram-channel']).toBe(makeOutputOnlyDatagramChannel);
    expect(scheme['datagram-channel-connect!']).toBe(datagramChannelConnect);
    expect(scheme['datagram-channel-close']).toBe(datagramChannelClose);
  });
});

for (const fam of FAMILIES) {
  describe(`${fam.name} loopback (${fam.loopback})`, () => {
    test('local endpoint: the bound address and the real port', async () => {
      const ch = await channelOn(fam.loopback);
      const local = addressOf(ch);
      expect(local.address).toBe(fam.loopback);
      expect(local.port).toBeGreaterThan(0);
      expect(datagramChannelRemoteEndpoint(ch)).toBe(false);
    });

    test('send-to and receive-from: sender endpoint, complete flag, byte count', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, addressOf(b), bytes('hello'));
      const buf = new Uint8Array(16);
      const [from, complete, n] = await datagramChannelReceiveFrom(b, buf);
      expect(from.address).toBe(fam.loopback);
      expect(from.port).toBe(addressOf(a).port);
      expect(complete).toBe(true);
      expect(n).toBe(5);
      expect(text(buf, n)).toBe('hello');
    });

    test('sub-ranges: send bytes[start,end), receive into [start,end); omitted end is the length', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const to = addressOf(b);
      const payload = bytes('0123456789');
      await datagramChannelSendTo(a, to, payload, 2, 5); // "234"
      await datagramChannelSendTo(a, to, payload, 7); // "789"
      const buf = new Uint8Array(8).fill(0x2e);
      let [, complete, n] = await datagramChannelReceiveFrom(b, buf, 4);
      expect([complete, n, text(buf)]).toEqual([true, 3, '....234.']);
      [, complete, n] = await datagramChannelReceiveFrom(b, buf, 0, 3);
      expect([complete, n, text(buf)]).toEqual([true, 3, '789.234.']);
    });

    test('truncation: complete is #f, the count is the full length, the rest is discarded', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, addressOf(b), bytes('abcdefghij'));
      await datagramChannelSendTo(a, addressOf(b), bytes('next'));
      const buf = new Uint8Array(10).fill(0x2e);
      const [, complete, n] = await datagramChannelReceiveFrom(b, buf, 2, 6);
      expect([complete, n, text(buf)]).toEqual([false, 10, '..abcd....']);
      const [, complete2, n2] = await datagramChannelReceiveFrom(b, buf);
      expect([complete2, n2, text(buf, n2)]).toEqual([true, 4, 'next']);
    });

    test('an empty datagram, and a zero-length range that consumes one', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, addressOf(b), new Uint8Array(0));
      await datagramChannelSendTo(a, addressOf(b), bytes('xyz'));
      await datagramChannelSendTo(a, addressOf(b), bytes('last'));
      const buf = new Uint8Array(8);
      expect((await datagramChannelReceiveFrom(b, buf)).slice(1)).toEqual([true, 0]);
      expect((await datagramChannelReceiveFrom(b, buf, 3, 3)).slice(1)).toEqual([false, 3]);
      const [, , n] = await datagramChannelReceiveFrom(b, buf);
      expect(text(buf, n)).toBe('last');
    });

    test('Buffer works wherever bytes do', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, addressOf(b), Buffer.from('buf'));
      const buf = Buffer.alloc(4);
      const [, , n] = await datagramChannelReceiveFrom(b, buf);
      expect(buf.toString('utf8', 0, n)).toBe('buf');
    });

    test('connect: remote endpoint, send, and send-to other endpoints still works', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const c = await channelOn(fam.loopback);
      await datagramChannelConnect(a, addressOf(b));
      const remote = datagramChannelRemoteEndpoint(a);
      if (remote === false) throw new Error('not connected');
      expect([remote.address, remote.port]).toEqual([fam.loopback, addressOf(b).port]);
      // acceptable to another connect
      await datagramChannelConnect(a, remote);
      await datagramChannelSend(a, bytes('to b'));
      await datagramChannelSendTo(a, addressOf(c), bytes('to c'));
      const buf = new Uint8Array(8);
      const [fromB, , nb] = await datagramChannelReceiveFrom(b, buf);
      expect([text(buf, nb), fromB.port]).toEqual(['to b', addressOf(a).port]);
      const [fromC, , nc] = await datagramChannelReceiveFrom(c, buf);
      expect([text(buf, nc), fromC.port]).toEqual(['to c', addressOf(a).port]);
    });

    test('a connected channel ignores datagrams from other endpoints (also ones queued before connect)', async () => {
      const a = await channelOn(fam.loopback);
      const peer = await channelOn(fam.loopback);
      const stranger = await channelOn(fam.loopback);
      await datagramChannelSendTo(stranger, addressOf(a), bytes('early stranger'));
      await sleep(20); // queued at a before the connect
      await datagramChannelConnect(a, addressOf(peer));
      await datagramChannelSendTo(stranger, addressOf(a), bytes('late stranger'));
      await datagramChannelSendTo(peer, addressOf(a), bytes('peer'));
      const buf = new Uint8Array(32);
      const [from, , n] = await datagramChannelReceiveFrom(a, buf);
      expect(text(buf, n)).toBe('peer');
      expect(from.port).toBe(addressOf(peer).port);
      expect(from).toBe(datagramChannelRemoteEndpoint(a)); // no allocation: the remote endpoint itself
      // after disconnect, everyone may be heard again
      datagramChannelDisconnect(a);
      expect(datagramChannelRemoteEndpoint(a)).toBe(false);
      await datagramChannelSendTo(stranger, addressOf(a), bytes('welcome'));
      const [from2, , n2] = await datagramChannelReceiveFrom(a, buf);
      expect([text(buf, n2), from2.port]).toEqual(['welcome', addressOf(stranger).port]);
    });

    test('disconnect on a channel that is not connected is fine; send after disconnect is an error', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      datagramChannelDisconnect(a);
      await datagramChannelConnect(a, addressOf(b));
      datagramChannelDisconnect(a);
      const e = (await rejection(datagramChannelSend(a, bytes('x')))) as Error;
      expect(e).toBeInstanceOf(ExnFailNetwork);
      expect(e.message).toBe('datagram-channel-send: channel is not connected\n  channel: #<datagram-channel>');
    });

    test('reconnecting replaces the peer', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const c = await channelOn(fam.loopback);
      await datagramChannelConnect(a, addressOf(b));
      await datagramChannelConnect(a, addressOf(c));
      await datagramChannelSend(a, bytes('c!'));
      const buf = new Uint8Array(4);
      const [, , n] = await datagramChannelReceiveFrom(c, buf);
      expect(text(buf, n)).toBe('c!');
      await datagramChannelSendTo(b, addressOf(a), bytes('b?'));
      await datagramChannelSendTo(c, addressOf(a), bytes('c?'));
      const [from, , m] = await datagramChannelReceiveFrom(a, buf);
      expect([text(buf, m), from.port]).toEqual(['c?', addressOf(c).port]);
    });

    test('connecting to port 0 is an error', async () => {
      const a = await channelOn(fam.loopback);
      const e = (await rejection(datagramChannelConnect(a, makeNetworkEndpoint(fam.loopback, 0)))) as Error;
      expect(e).toBeInstanceOf(ExnFailContract);
      expect(e.message).toBe(
        'datagram-channel-connect!: contract violation\n  expected: network-endpoint? with a port in 1..65535\n  given: #<network-endpoint>',
      );
      expect(datagramChannelRemoteEndpoint(a)).toBe(false);
    });

    test('receive-from with a signal: abort and timeout reject with signal.reason; datagram stays queued', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const buf = new Uint8Array(8);
      const c = new AbortController();
      const pending = datagramChannelReceiveFrom(b, buf, { signal: c.signal });
      const reason = new Error('enough');
      c.abort(reason);
      expect(await rejection(pending)).toBe(reason);
      const t0 = Date.now();
      const e = (await rejection(
        datagramChannelReceiveFrom(b, buf, 0, 8, { signal: AbortSignal.timeout(50) }),
      )) as Error;
      expect(e.name).toBe('TimeoutError');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
      // already aborted: rejects at once even when a datagram is waiting
      await datagramChannelSendTo(a, addressOf(b), bytes('kept'));
      await sleep(10);
      expect(await rejection(datagramChannelReceiveFrom(b, buf, 0, undefined, { signal: c.signal }))).toBe(reason);
      const [, , n] = await datagramChannelReceiveFrom(b, buf, { signal: AbortSignal.timeout(1000) });
      expect(text(buf, n)).toBe('kept');
    });

    test('close: idempotent; wakes a pending receive; every procedure then raises', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const pending = datagramChannelReceiveFrom(a, new Uint8Array(4));
      await sleep(5);
      datagramChannelClose(a);
      datagramChannelClose(a);
      a[Symbol.dispose]();
      const e = (await rejection(pending)) as Error;
      expect(e).toBeInstanceOf(ExnFailNetwork);
      expect(e.message).toBe('datagram-channel-receive-from: channel is closed\n  channel: #<datagram-channel>');
      const closed = (who: string) => `${who}: channel is closed\n  channel: #<datagram-channel>`;
      const msg = async (p: Promise<unknown>) => ((await rejection(p)) as Error).message;
      expect(await msg(datagramChannelReceiveFrom(a, new Uint8Array(4)))).toBe(closed('datagram-channel-receive-from'));
      expect(await msg(datagramChannelSendTo(a, addressOf(b), bytes('x')))).toBe(closed('datagram-channel-send-to'));
      expect(await msg(datagramChannelSend(a, bytes('x')))).toBe(closed('datagram-channel-send'));
      expect(await msg(datagramChannelConnect(a, addressOf(b)))).toBe(closed('datagram-channel-connect!'));
      expect((thrown(() => datagramChannelDisconnect(a)) as Error).message).toBe(
        closed('datagram-channel-disconnect!'),
      );
      expect((thrown(() => datagramChannelLocalEndpoint(a)) as Error).message).toBe(
        closed('datagram-channel-local-endpoint'),
      );
      expect((thrown(() => datagramChannelRemoteEndpoint(a)) as Error).message).toBe(
        closed('datagram-channel-remote-endpoint'),
      );
    });

    test('close wakes a pending receive on a connected channel too, and frees the port', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      await datagramChannelConnect(a, addressOf(b));
      const local = addressOf(a);
      const pending = datagramChannelReceiveFrom(a, new Uint8Array(4));
      datagramChannelClose(a);
      expect(((await rejection(pending)) as Error).message).toMatch(
        /^datagram-channel-receive-from: channel is closed/,
      );
      const again = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, local.port)));
      expect(addressOf(again).port).toBe(local.port);
    });

    test('using / await using close the channel', async () => {
      let outer: unknown;
      {
        await using ch = await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0));
        outer = ch;
        expect(addressOf(ch).port).toBeGreaterThan(0);
      }
      expect(thrown(() => datagramChannelLocalEndpoint(outer as never))).toBeInstanceOf(ExnFailNetwork);
      {
        using ch2 = await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0));
        outer = ch2;
      }
      expect(thrown(() => datagramChannelRemoteEndpoint(outer as never))).toBeInstanceOf(ExnFailNetwork);
    });

    test('send-to a host name resolves it when used', async () => {
      const b = await channelOn(fam.loopback);
      const a = await channelOn(fam.loopback);
      const ep = makeNetworkEndpoint('localhost', addressOf(b).port);
      // localhost may resolve to the other family on this machine: then the send fails with a
      // system error, which must carry our procedure name.
      try {
        await datagramChannelSendTo(a, ep, bytes('named'));
      } catch (error) {
        expect((error as Error).message).toMatch(/^datagram-channel-send-to: /);
        return;
      }
      const buf = new Uint8Array(8);
      const [, , n] = await datagramChannelReceiveFrom(b, buf, { signal: AbortSignal.timeout(2000) });
      expect(text(buf, n)).toBe('named');
    });
  });
}

describe('output-only channels', () => {
  test('unbound: no local endpoint; sends to IPv4 and IPv6; receiving is an error', async () => {
    const out = await outputOnly();
    expect(datagramChannelLocalEndpoint(out)).toBe(false);
    expect(datagramChannelRemoteEndpoint(out)).toBe(false);
    const v4 = await channelOn('127.0.0.1');
    const v6 = await channelOn('::1');
    await datagramChannelSendTo(out, addressOf(v4), bytes('four'));
    await datagramChannelSendTo(out, addressOf(v6), bytes('six'));
    const buf = new Uint8Array(8);
    const [from4, , n4] = await datagramChannelReceiveFrom(v4, buf);
    expect([text(buf, n4), from4.address]).toEqual(['four', '127.0.0.1']);
    const [from6, , n6] = await datagramChannelReceiveFrom(v6, buf);
    expect([text(buf, n6), from6.address]).toEqual(['six', '::1']);
    // after its first send the OS has bound it: the local endpoint reports that
    const local = datagramChannelLocalEndpoint(out);
    expect(local !== false && local.port).toBe(from4.port);
    const e = (await rejection(datagramChannelReceiveFrom(out, buf))) as Error;
    expect(e).toBeInstanceOf(ExnFailNetwork);
    expect(e.message).toBe('datagram-channel-receive-from: channel is output-only\n  channel: #<datagram-channel>');
  });

  test('an output-only channel can connect and send', async () => {
    const out = await outputOnly();
    const b = await channelOn('127.0.0.1');
    await datagramChannelConnect(out, addressOf(b));
    await datagramChannelSend(out, bytes('conn'));
    const buf = new Uint8Array(8);
    const [, , n] = await datagramChannelReceiveFrom(b, buf);
    expect(text(buf, n)).toBe('conn');
  });

  test('close is idempotent', async () => {
    const out = await makeOutputOnlyDatagramChannel();
    datagramChannelClose(out);
    datagramChannelClose(out);
    await out[Symbol.asyncDispose]();
  });
});

describe('contract and arity errors (Racket texts, checked before any I/O)', () => {
  test('a non-channel', async () => {
    const notChannel = (who: string, given: string) =>
      `${who}: contract violation\n  expected: datagram-channel?\n  given: ${given}`;
    const msg = async (p: Promise<unknown>) => ((await rejection(p)) as Error).message;
    expect(await msg(datagramChannelSend(5 as never, bytes('x')))).toBe(notChannel('datagram-channel-send', '5'));
    expect(await msg(datagramChannelSendTo('ch' as never, makeNetworkEndpoint(1), bytes('x')))).toBe(
      notChannel('datagram-channel-send-to', '"ch"'),
    );
    expect(await msg(datagramChannelReceiveFrom(null as never, bytes('x')))).toBe(
      notChannel('datagram-channel-receive-from', '#f'),
    );
    expect(await msg(datagramChannelConnect(false as never, makeNetworkEndpoint(1)))).toBe(
      notChannel('datagram-channel-connect!', '#f'),
    );
    expect((thrown(() => datagramChannelDisconnect({} as never)) as Error).message).toBe(
      notChannel('datagram-channel-disconnect!', '#<object>'),
    );
    expect((thrown(() => datagramChannelClose(7 as never)) as Error).message).toBe(
      notChannel('datagram-channel-close', '7'),
    );
    expect((thrown(() => datagramChannelLocalEndpoint(bytes('ab') as never)) as Error).message).toBe(
      notChannel('datagram-channel-local-endpoint', '#"ab"'),
    );
    expect((thrown(() => datagramChannelRemoteEndpoint(Symbol('s') as never)) as Error).message).toBe(
      notChannel('datagram-channel-remote-endpoint', "'s"),
    );
    expect(thrown(() => datagramChannelClose(7 as never))).toBeInstanceOf(ExnFailContract);
  });

  test('bad endpoint, bytes, start, end; ranges', async () => {
    const a = await channelOn('127.0.0.1');
    const ep = makeNetworkEndpoint('127.0.0.1', 9);
    const msg = async (p: Promise<unknown>) => {
      const e = (await rejection(p)) as Error;
      expect(e).toBeInstanceOf(ExnFailContract);
      return e.message;
    };
    expect(await msg(datagramChannelSendTo(a, '127.0.0.1:9' as never, bytes('x')))).toBe(
      'datagram-channel-send-to: contract violation\n  expected: network-endpoint?\n  given: "127.0.0.1:9"',
    );
    expect(await msg(datagramChannelSendTo(a, ep, 'text' as never))).toBe(
      'datagram-channel-send-to: contract violation\n  expected: bytes?\n  given: "text"',
    );
    expect(await msg(datagramChannelSendTo(a, ep, bytes('hello'), -1))).toBe(
      'datagram-channel-send-to: contract violation\n  expected: exact-nonnegative-integer?\n  given: -1',
    );
    expect(await msg(datagramChannelSendTo(a, ep, bytes('hello'), 0, 1.5))).toBe(
      'datagram-channel-send-to: contract violation\n  expected: exact-nonnegative-integer?\n  given: 1.5',
    );
    expect(await msg(datagramChannelSendTo(a, ep, bytes('hello'), 10))).toBe(
      'datagram-channel-send-to: starting index is out of range\n  starting index: 10\n  valid range: [0, 5]\n  byte string: #"hello"',
    );
    expect(await msg(datagramChannelSendTo(a, ep, bytes('hello'), 1, 6))).toBe(
      'datagram-channel-send-to: ending index is out of range\n  ending index: 6\n  valid range: [1, 5]\n  byte string: #"hello"',
    );
    expect(await msg(datagramChannelReceiveFrom(a, bytes('hello'), 3, 2))).toBe(
      'datagram-channel-receive-from: ending index is out of range\n  ending index: 2\n  valid range: [3, 5]\n  byte string: #"hello"',
    );
    expect(await msg(datagramChannelSend(a, bytes('hello'), 6))).toBe(
      'datagram-channel-send: starting index is out of range\n  starting index: 6\n  valid range: [0, 5]\n  byte string: #"hello"',
    );
    expect(await msg(datagramChannelConnect(a, 'nope' as never))).toBe(
      'datagram-channel-connect!: contract violation\n  expected: network-endpoint?\n  given: "nope"',
    );
    // sending to port 0
    expect(await msg(datagramChannelSendTo(a, makeNetworkEndpoint('127.0.0.1', 0), bytes('x')))).toBe(
      'datagram-channel-send-to: contract violation\n  expected: network-endpoint? with a port in 1..65535\n  given: #<network-endpoint>',
    );
  });

  test('contracts are checked in argument order, before the channel state', async () => {
    const a = await channelOn('127.0.0.1');
    datagramChannelClose(a);
    const e = (await rejection(datagramChannelReceiveFrom(a, 'x' as never))) as Error;
    expect(e.message).toMatch(/expected: bytes\?/);
    const out = await outputOnly();
    const e2 = (await rejection(datagramChannelReceiveFrom(out, bytes('ab'), 3))) as Error;
    expect(e2.message).toMatch(/starting index is out of range/);
  });

  test('arity', async () => {
    const a = await channelOn('127.0.0.1');
    const call = (f: (...args: unknown[]) => unknown, ...args: unknown[]) => f(...args);
    const arity = async (p: unknown) => {
      const e = (p instanceof Promise ? await rejection(p) : p) as Error;
      expect(e).toBeInstanceOf(ExnFailContract);
      expect(e.constructor.name).toBe('ExnFailContractArity');
      return e.message;
    };
    const head = ': arity mismatch;\n the expected number of arguments does not match the given number\n';
    expect(await arity(call(datagramChannelReceiveFrom as never, a))).toBe(
      `datagram-channel-receive-from${head}  given: 1`,
    );
    expect(await arity(call(datagramChannelSend as never, a, bytes('x'), 0, 1, 2))).toBe(
      `datagram-channel-send${head}  given: 5`,
    );
    expect(await arity(call(datagramChannelConnect as never, a))).toBe(
      `datagram-channel-connect!${head}  expected: 2\n  given: 1`,
    );
    expect(await arity(thrown(() => call(datagramChannelClose as never)))).toBe(
      `datagram-channel-close${head}  expected: 1\n  given: 0`,
    );
    expect(await arity(thrown(() => call(isDatagramChannel as never, a, a)))).toBe(
      `datagram-channel?${head}  expected: 1\n  given: 2`,
    );
    expect(await arity(call(makeDatagramChannel as never, makeNetworkEndpoint(0), makeNetworkEndpoint(0)))).toBe(
      `make-datagram-channel${head}  given: 2`,
    );
    expect(await arity(call(makeOutputOnlyDatagramChannel as never, 1))).toBe(
      `make-output-only-datagram-channel${head}  expected: 0\n  given: 1`,
    );
    // trailing undefineds and a trailing options object do not count
    await datagramChannelSendTo(a, addressOf(a), bytes('x'), undefined, undefined, {});
    await datagramChannelReceiveFrom(a, new Uint8Array(2), undefined, undefined, {});
  });
});
