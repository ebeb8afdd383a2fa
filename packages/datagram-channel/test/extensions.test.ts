// Extensions beyond Cowan: non-blocking receive, receive evt, async iteration, socket options,
// multicast.

import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { choiceEvt, ExnFailContract, ExnFailNetwork, sync, syncTimeout } from '@udpkit/udp-racket';
import { describe, expect, test } from 'vitest';
import {
  datagramChannelBroadcast,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelDroppedCount,
  datagramChannelIncoming,
  datagramChannelMulticastJoinGroup,
  datagramChannelMulticastLeaveGroup,
  datagramChannelMulticastSetInterface,
  datagramChannelReceiveBufferSize,
  datagramChannelReceiveFrom,
  datagramChannelReceiveFromEvt,
  datagramChannelReceiveFromStar,
  datagramChannelRemoteEndpoint,
  datagramChannelSendBufferSize,
  datagramChannelSendTo,
  datagramChannelSetBroadcast,
  datagramChannelSetReceiveBufferSize,
  datagramChannelSetSendBufferSize,
  datagramChannelSetTtl,
  datagramChannelTtl,
  type IncomingDatagram,
  makeDatagramChannel,
} from '../src/index.js';
import {
  addressOf,
  bytes,
  channelOn,
  FAMILIES,
  outputOnly,
  pollUntil,
  rejection,
  sleep,
  text,
  thrown,
  track,
} from './helpers.js';

for (const fam of FAMILIES) {
  describe(`${fam.name}: non-blocking receive`, () => {
    test('datagramChannelReceiveFromStar: [false,false,false] when nothing is queued, else a datagram', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const buf = new Uint8Array(8);
      expect(datagramChannelReceiveFromStar(b, buf)).toEqual([false, false, false]);
      await datagramChannelSendTo(a, addressOf(b), bytes('now'));
      const [from, complete, n] = (await pollUntil(() => datagramChannelReceiveFromStar(b, buf, 1))) as [
        { port: number },
        boolean,
        number,
      ];
      expect([from.port, complete, n, text(buf.subarray(1), n)]).toEqual([addressOf(a).port, true, 3, 'now']);
      expect(datagramChannelReceiveFromStar(b, buf)).toEqual([false, false, false]);
    });

    test('a connected channel skips queued datagrams from others', async () => {
      const a = await channelOn(fam.loopback);
      const peer = await channelOn(fam.loopback);
      const other = await channelOn(fam.loopback);
      await datagramChannelSendTo(other, addressOf(a), bytes('other'));
      await sleep(10);
      await datagramChannelConnect(a, addressOf(peer));
      await datagramChannelSendTo(peer, addressOf(a), bytes('peer'));
      const buf = new Uint8Array(8);
      const r = await pollUntil(() => datagramChannelReceiveFromStar(a, buf));
      expect(r[0]).toBe(datagramChannelRemoteEndpoint(a));
      expect(text(buf, r[2] as number)).toBe('peer');
    });
  });

  describe(`${fam.name}: receive evt`, () => {
    test('sync and syncTimeout', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const buf = new Uint8Array(4);
      const evt = datagramChannelReceiveFromEvt(b, buf, 0, 2);
      expect(await syncTimeout(0.05, evt)).toBe(false);
      await datagramChannelSendTo(a, addressOf(b), bytes('abc'));
      const [from, complete, n] = (await sync(evt)) as [{ port: number }, boolean, number];
      expect([from.port, complete, n, text(buf, 2)]).toEqual([addressOf(a).port, false, 3, 'ab']);
      expect(await syncTimeout(0, evt)).toBe(false);
    });

    test('on a connected channel a datagram from a stranger is skipped; choiceEvt; closed channel raises when chosen', async () => {
      const a = await channelOn(fam.loopback);
      const peer = await channelOn(fam.loopback);
      const stranger = await channelOn(fam.loopback);
      await datagramChannelConnect(a, addressOf(peer));
      const buf = new Uint8Array(16);
      await datagramChannelSendTo(stranger, addressOf(a), bytes('stranger'));
      const pending = sync(choiceEvt(datagramChannelReceiveFromEvt(a, buf)));
      await sleep(20);
      await datagramChannelSendTo(peer, addressOf(a), bytes('peer'));
      const [from, , n] = (await pending) as [unknown, boolean, number];
      expect(text(buf, n)).toBe('peer');
      expect(from).toBe(datagramChannelRemoteEndpoint(a));
      const evt = datagramChannelReceiveFromEvt(a, buf);
      datagramChannelClose(a);
      const e = (await rejection(syncTimeout(1, evt))) as Error;
      expect(e).toBeInstanceOf(ExnFailNetwork);
      expect(e.message).toBe('datagram-channel-receive-from-evt: channel is closed\n  channel: #<datagram-channel>');
    });

    test('contract errors are raised when the evt is made; output-only and closed channels too', async () => {
      const b = await channelOn(fam.loopback);
      expect((thrown(() => datagramChannelReceiveFromEvt(b, 'x' as never)) as Error).message).toBe(
        'datagram-channel-receive-from-evt: contract violation\n  expected: bytes?\n  given: "x"',
      );
      const out = await outputOnly();
      expect(thrown(() => datagramChannelReceiveFromEvt(out, new Uint8Array(1)))).toBeInstanceOf(ExnFailNetwork);
      datagramChannelClose(b);
      expect((thrown(() => datagramChannelReceiveFromEvt(b, new Uint8Array(1))) as Error).message).toBe(
        'datagram-channel-receive-from-evt: channel is closed\n  channel: #<datagram-channel>',
      );
    });
  });

  describe(`${fam.name}: async iteration`, () => {
    test('yields { endpoint, data, complete, byteCount } copies; break stops it', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      for (const t of ['one', 'two', 'three-is-long']) await datagramChannelSendTo(a, addressOf(b), bytes(t));
      const seen: IncomingDatagram[] = [];
      for await (const d of datagramChannelIncoming(b, { maxSize: 5 })) {
        seen.push(d);
        if (seen.length === 3) break;
      }
      expect(seen.map((d) => [text(d.data), d.complete, d.byteCount, d.endpoint.port])).toEqual([
        ['one', true, 3, addressOf(a).port],
        ['two', true, 3, addressOf(a).port],
        ['three', false, 13, addressOf(a).port],
      ]);
      expect(seen[0]!.data.buffer).not.toBe(seen[1]!.data.buffer);
      // the channel still works after the loop
      await datagramChannelSendTo(a, addressOf(b), bytes('after'));
      const buf = new Uint8Array(8);
      const [, , n] = await datagramChannelReceiveFrom(b, buf);
      expect(text(buf, n)).toBe('after');
    });

    test('ends when the channel is closed; an abort throws signal.reason', async () => {
      const b = await channelOn(fam.loopback);
      const ended = (async () => {
        let count = 0;
        for await (const _ of datagramChannelIncoming(b)) count++;
        return count;
      })();
      await sleep(10);
      datagramChannelClose(b);
      expect(await ended).toBe(0);

      const c = await channelOn(fam.loopback);
      const controller = new AbortController();
      const reason = new Error('stop');
      const aborted = (async () => {
        for await (const _ of datagramChannelIncoming(c, { signal: controller.signal })) {
          // nothing arrives
        }
      })();
      await sleep(10);
      controller.abort(reason);
      expect(await rejection(aborted)).toBe(reason);
      // the channel is still usable
      const a = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, addressOf(c), bytes('ok'));
      const [, , n] = await datagramChannelReceiveFrom(c, new Uint8Array(4));
      expect(n).toBe(2);
    });

    test('return() while next() waits: the waiting next() resolves done, the channel stays open', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const it = datagramChannelIncoming(b);
      const waiting = it.next();
      await sleep(5);
      expect(await it.return!()).toEqual({ done: true, value: undefined });
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(await it.next()).toEqual({ done: true, value: undefined });
      await datagramChannelSendTo(a, addressOf(b), bytes('still'));
      const [, , n] = await datagramChannelReceiveFrom(b, new Uint8Array(8));
      expect(n).toBe(5);
    });

    test('checks its arguments at once', async () => {
      const out = await outputOnly();
      expect((thrown(() => datagramChannelIncoming(out)) as Error).message).toBe(
        'datagram-channel-incoming: channel is output-only\n  channel: #<datagram-channel>',
      );
      expect(thrown(() => datagramChannelIncoming(5 as never))).toBeInstanceOf(ExnFailContract);
      const b = await channelOn(fam.loopback);
      expect(thrown(() => datagramChannelIncoming(b, { maxSize: -1 }))).toBeInstanceOf(ExnFailContract);
    });
  });

  describe(`${fam.name}: socket options`, () => {
    test('TTL, broadcast, buffer sizes, dropped count', async () => {
      const ch = await channelOn(fam.loopback);
      expect(await datagramChannelTtl(ch)).toBe(64);
      await datagramChannelSetTtl(ch, 7);
      expect(await datagramChannelTtl(ch)).toBe(7);
      await datagramChannelSetReceiveBufferSize(ch, 65536);
      expect(await datagramChannelReceiveBufferSize(ch)).toBeGreaterThanOrEqual(65536);
      await datagramChannelSetSendBufferSize(ch, 65536);
      expect(await datagramChannelSendBufferSize(ch)).toBeGreaterThanOrEqual(65536);
      expect(await datagramChannelDroppedCount(ch)).toBe(0);
      if (fam.name === 'IPv4') {
        await datagramChannelSetBroadcast(ch, false);
        expect(await datagramChannelBroadcast(ch)).toBe(false);
        await datagramChannelSetBroadcast(ch, true);
        expect(await datagramChannelBroadcast(ch)).toBe(true);
      }
    });

    test('bad option values raise udp-racket errors under our name', async () => {
      const ch = await channelOn(fam.loopback);
      const e = (await rejection(Promise.resolve().then(() => datagramChannelSetTtl(ch, 300)))) as Error;
      expect(e).toBeInstanceOf(ExnFailContract);
      expect(e.message).toMatch(/^datagram-channel-set-ttl!: contract violation\n {2}expected: byte\?\n {2}given: 300/);
    });

    test('options on a closed channel raise', async () => {
      const ch = await channelOn(fam.loopback);
      datagramChannelClose(ch);
      expect((thrown(() => datagramChannelTtl(ch)) as Error).message).toBe(
        'datagram-channel-ttl: channel is closed\n  channel: #<datagram-channel>',
      );
    });
  });
}

describe('output-only channels: options', () => {
  test('set before any send, kept for the IPv6 socket opened later', async () => {
    const out = await outputOnly();
    await datagramChannelSetTtl(out, 9);
    expect(await datagramChannelTtl(out)).toBe(9);
    const v6 = await channelOn('::1');
    await datagramChannelSendTo(out, addressOf(v6), bytes('x'));
    const [, , n] = await datagramChannelReceiveFrom(v6, new Uint8Array(2));
    expect(n).toBe(1);
  });
});

describe('IPv4 multicast over loopback', () => {
  test('join, receive, leave', async () => {
    const group = '239.255.42.99';
    const receiver = track(await makeDatagramChannel(makeNetworkEndpoint(true, 0)));
    await datagramChannelMulticastJoinGroup(receiver, group, '127.0.0.1');
    const sender = await channelOn('127.0.0.1');
    await datagramChannelMulticastSetInterface(sender, '127.0.0.1');
    const port = addressOf(receiver).port;
    await datagramChannelSendTo(sender, makeNetworkEndpoint(group, port), bytes('mc'));
    const buf = new Uint8Array(4);
    const [from, , n] = await datagramChannelReceiveFrom(receiver, buf, { signal: AbortSignal.timeout(2000) });
    expect([text(buf, n), from.port]).toEqual(['mc', addressOf(sender).port]);
    await datagramChannelMulticastLeaveGroup(receiver, makeNetworkEndpoint(group, 1), '127.0.0.1');
    const e = (await rejection(datagramChannelMulticastLeaveGroup(receiver, group, '127.0.0.1'))) as Error & {
      errno?: unknown;
    };
    expect(e.message).toMatch(/^datagram-channel-multicast-leave-group!: setsockopt failed/);
    expect(e.errno).toEqual([99, 'posix']);
  });

  test('a group that is not multicast', async () => {
    const ch = await channelOn('127.0.0.1');
    const e = (await rejection(datagramChannelMulticastJoinGroup(ch, '127.0.0.1', false))) as Error;
    expect(e.message).toMatch(/^datagram-channel-multicast-join-group!: /);
    expect(e.message).toContain('Invalid argument; errno=22');
  });
});
