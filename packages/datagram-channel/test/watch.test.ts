// Extensions for event-driven receivers: datagramChannelWatchReadable, and unref/ref.

import { makeNetworkEndpoint, type NetworkEndpoint } from '@udpkit/endpoint';
import { ExnFailContract, ExnFailNetwork } from '@udpkit/udp-racket';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFromStar,
  datagramChannelRef,
  datagramChannelSendTo,
  datagramChannelUnref,
  datagramChannelWatchReadable,
  makeDatagramChannel,
} from '../src/index.js';

const open: DatagramChannel[] = [];
const channel = async () => {
  const ch = await makeDatagramChannel(makeNetworkEndpoint('127.0.0.1', 0));
  open.push(ch);
  return ch;
};
afterEach(() => {
  for (const ch of open.splice(0)) datagramChannelClose(ch);
});

describe('datagramChannelWatchReadable', () => {
  test('calls back when datagrams wait, until unwatched; the datagrams stay to be taken', async () => {
    const a = await channel();
    const b = await channel();
    const to = datagramChannelLocalEndpoint(a) as NetworkEndpoint;
    let wakes = 0;
    let woke!: () => void;
    let next = new Promise<void>((r) => {
      woke = r;
    });
    const unwatch = datagramChannelWatchReadable(a, () => {
      wakes++;
      woke();
    });
    await datagramChannelSendTo(b, to, new Uint8Array([1, 2, 3]));
    await next;
    expect(wakes).toBeGreaterThan(0);
    const buffer = new Uint8Array(8);
    const [from, complete, count] = datagramChannelReceiveFromStar(a, buffer);
    expect([complete, count, [...buffer.subarray(0, 3)]]).toEqual([true, 3, [1, 2, 3]]);
    expect((from as NetworkEndpoint).port).toBe((datagramChannelLocalEndpoint(b) as NetworkEndpoint).port);

    unwatch();
    unwatch(); // idempotent
    const before = wakes;
    next = new Promise<void>((r) => {
      woke = r;
    });
    await datagramChannelSendTo(b, to, new Uint8Array([4]));
    // The datagram arrives (taken below) but no callback runs any more.
    for (let i = 0; i < 50 && datagramChannelReceiveFromStar(a, buffer)[0] === false; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(buffer[0]).toBe(4);
    expect(wakes).toBe(before);
  });

  test('checks its arguments', async () => {
    const a = await channel();
    expect(() => datagramChannelWatchReadable(a, 'nope' as never)).toThrow(ExnFailContract);
    expect(() => datagramChannelWatchReadable({} as never, () => {})).toThrow(ExnFailContract);
  });
});

describe('datagramChannelUnref / datagramChannelRef', () => {
  test('are idempotent, raise on a closed channel like other options, and check their argument', async () => {
    const a = await channel();
    datagramChannelUnref(a);
    datagramChannelUnref(a);
    datagramChannelRef(a);
    datagramChannelClose(a);
    expect(() => datagramChannelUnref(a)).toThrow(ExnFailNetwork);
    expect(() => datagramChannelRef({} as never)).toThrow(ExnFailContract);
  });
});
