// System errors from the layers below, under the channel procedure's name, and the
// consequences of connecting in user space.

import { isNetworkEndpointError, makeNetworkEndpoint } from '@udpkit/endpoint';
import { ExnFailNetworkErrno, isExnFailNetworkErrno } from '@udpkit/udp-racket';
import { describe, expect, test } from 'vitest';
import {
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelReceiveFrom,
  datagramChannelSend,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '../src/index.js';
import { addressOf, bytes, channelOn, rejection, sleep } from './helpers.js';

describe('system errors keep their class and errno, under our name, with the original as cause', () => {
  test('an IPv4 channel sending to an IPv6 address: errno 97', async () => {
    const four = await channelOn('127.0.0.1');
    const six = await channelOn('::1');
    const e = (await rejection(datagramChannelSendTo(four, addressOf(six), bytes('x')))) as Error & {
      errno?: unknown;
      cause?: unknown;
    };
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(isExnFailNetworkErrno(e)).toBe(true);
    expect(e.message).toMatch(/^datagram-channel-send-to: send failed\n/);
    expect(e.message).toContain('Address family not supported by protocol; errno=97');
    expect(e.errno).toEqual([97, 'posix']);
    expect((e.cause as Error).message).toMatch(/^udp-send-to\*?: send failed/);
  });

  test('a datagram over the IPv4 maximum: errno 90, nothing sent', async () => {
    const a = await channelOn('127.0.0.1');
    const b = await channelOn('127.0.0.1');
    await datagramChannelConnect(a, addressOf(b));
    const e = (await rejection(datagramChannelSend(a, new Uint8Array(65508)))) as Error & { errno?: unknown };
    expect(e.message).toMatch(/^datagram-channel-send: send failed\n/);
    expect(e.errno).toEqual([90, 'posix']);
    await datagramChannelSend(a, new Uint8Array(65507)); // the maximum itself goes through
    const [, complete, n] = await datagramChannelReceiveFrom(b, new Uint8Array(70000));
    expect([complete, n]).toEqual([true, 65507]);
  });

  test('a host name that does not resolve: the endpoint package error', async () => {
    const a = await channelOn('127.0.0.1');
    const e = await rejection(datagramChannelSendTo(a, makeNetworkEndpoint('no-such-host.invalid', 9), bytes('x')));
    expect(isNetworkEndpointError(e)).toBe(true);
    expect((e as { code?: string }).code).toBe('ERR_ENDPOINT_RESOLVE');
    const e2 = await rejection(datagramChannelConnect(a, makeNetworkEndpoint('no-such-host.invalid', 9)));
    expect((e2 as { code?: string }).code).toBe('ERR_ENDPOINT_RESOLVE');
    const e3 = await rejection(makeDatagramChannel(makeNetworkEndpoint('no-such-host.invalid', 6969)));
    expect((e3 as { code?: string }).code).toBe('ERR_ENDPOINT_RESOLVE');
  });
});

describe('connecting in user space', () => {
  test('no ICMP errors: sending to a closed port keeps working (silence, not Connection refused)', async () => {
    const gone = await channelOn('127.0.0.1');
    const deadPort = addressOf(gone);
    datagramChannelClose(gone);
    const a = await channelOn('127.0.0.1');
    await datagramChannelConnect(a, deadPort);
    for (let i = 0; i < 3; i++) {
      await datagramChannelSend(a, bytes('anyone?'));
      await sleep(10);
    }
    await datagramChannelSendTo(a, deadPort, bytes('still fine'));
  });
});
