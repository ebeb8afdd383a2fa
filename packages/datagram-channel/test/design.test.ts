// Decisions of ours that Cowan leaves open: user-space connect (the local port never changes),
// dual-stack IPv6 channels talking to IPv4 peers, `#t` as a destination, concurrency.

import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { describe, expect, test } from 'vitest';
import {
  datagramChannelConnect,
  datagramChannelDisconnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelRemoteEndpoint,
  datagramChannelSend,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '../src/index.js';
import { addressOf, bytes, channelOn, FAMILIES, rejection, text, track } from './helpers.js';

for (const fam of FAMILIES) {
  describe(`${fam.name}`, () => {
    test('the local endpoint never changes on connect, reconnect and disconnect', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const c = await channelOn(fam.loopback);
      const before = addressOf(a);
      await datagramChannelConnect(a, addressOf(b));
      expect(addressOf(a).port).toBe(before.port);
      await datagramChannelConnect(a, addressOf(c));
      expect(addressOf(a).port).toBe(before.port);
      expect(datagramChannelDisconnect(a)).toBeUndefined();
      expect(addressOf(a).port).toBe(before.port);
      // and the peers still see that port
      await datagramChannelSendTo(a, addressOf(b), bytes('x'));
      const [from] = await datagramChannelReceiveFrom(b, new Uint8Array(2));
      expect(from.port).toBe(before.port);
    });

    test('a wildcard-bound channel keeps reporting host #t when connected', async () => {
      const a = track(await makeDatagramChannel());
      const b = await channelOn('127.0.0.1');
      await datagramChannelConnect(a, addressOf(b));
      const local = datagramChannelLocalEndpoint(a);
      expect(local !== false && local.address).toBe(true);
    });

    test('#t as a destination is this host (loopback)', async () => {
      const b = track(await makeDatagramChannel(makeNetworkEndpoint(fam.wildcard, 0)));
      const a = await channelOn(fam.loopback);
      await datagramChannelSendTo(a, makeNetworkEndpoint(true, addressOf(b).port), bytes('home'));
      const [from, , n] = await datagramChannelReceiveFrom(b, new Uint8Array(8));
      expect([n, from.port]).toEqual([4, addressOf(a).port]);
    });

    test('concurrent receives each get one datagram', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const bufs = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
      const pending = bufs.map((buf) => datagramChannelReceiveFrom(b, buf));
      for (const t of ['1', '2', '3']) await datagramChannelSendTo(a, addressOf(b), bytes(t));
      const results = await Promise.all(pending);
      expect(results.map((r, i) => text(bufs[i]!, r[2])).sort()).toEqual(['1', '2', '3']);
    });

    test('an aborted signal rejects send-to, send and connect before any I/O', async () => {
      const a = await channelOn(fam.loopback);
      const b = await channelOn(fam.loopback);
      const c = new AbortController();
      c.abort();
      expect(await rejection(datagramChannelSendTo(a, addressOf(b), bytes('x'), { signal: c.signal }))).toBe(
        c.signal.reason,
      );
      expect(await rejection(datagramChannelConnect(a, addressOf(b), { signal: c.signal }))).toBe(c.signal.reason);
      expect(datagramChannelRemoteEndpoint(a)).toBe(false);
      await datagramChannelConnect(a, addressOf(b));
      expect(await rejection(datagramChannelSend(a, bytes('x'), { signal: c.signal }))).toBe(c.signal.reason);
    });
  });
}

describe('a dual-stack IPv6 channel (bound to ::) and IPv4 peers', () => {
  test('send-to, receive-from, connect and filtering with IPv4-mapped addresses', async () => {
    const six = track(await makeDatagramChannel(makeNetworkEndpoint('::', 0)));
    const four = await channelOn('127.0.0.1');
    const stranger = await channelOn('127.0.0.1');
    const sixEp = makeNetworkEndpoint('127.0.0.1', addressOf(six).port);
    await datagramChannelSendTo(four, sixEp, bytes('v4 to v6'));
    const buf = new Uint8Array(16);
    const [from, , n] = await datagramChannelReceiveFrom(six, buf);
    expect(text(buf, n)).toBe('v4 to v6');
    expect(from.address).toBe('::ffff:127.0.0.1');
    // answering with the endpoint as received, and with the plain IPv4 endpoint
    await datagramChannelSendTo(six, from, bytes('back 1'));
    await datagramChannelSendTo(six, addressOf(four), bytes('back 2'));
    for (const expected of ['back 1', 'back 2']) {
      const [src, , m] = await datagramChannelReceiveFrom(four, buf);
      expect([text(buf, m), src.port]).toEqual([expected, addressOf(six).port]);
    }
    // connected to the plain IPv4 endpoint: the peer's datagrams pass, a stranger's do not
    await datagramChannelConnect(six, addressOf(four));
    await datagramChannelSendTo(stranger, sixEp, bytes('stranger'));
    await datagramChannelSendTo(four, sixEp, bytes('peer'));
    const [src, , k] = await datagramChannelReceiveFrom(six, buf);
    expect(text(buf, k)).toBe('peer');
    expect(src).toBe(datagramChannelRemoteEndpoint(six));
  });
});
