import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  networkEndpointFromAddressInfo as fromInfo,
  makeNetworkEndpoint,
  NetworkEndpointError,
  networkEndpointEqual,
  networkEndpointStringAddress,
  resolveNetworkEndpoint,
  networkEndpointToAddressInfo as toInfo,
} from '../src/index.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkEndpointError);
    return (e as NetworkEndpointError).code;
  }
  return undefined;
}

describe('networkEndpointFromAddressInfo', () => {
  it('takes the objects node:dgram reports', () => {
    const ep = fromInfo({ address: '::ffff:127.0.0.1', port: 5000, family: 'IPv6' });
    expect(networkEndpointStringAddress(ep)).toBe('::ffff:127.0.0.1');
    expect(ep.port).toBe(5000);
    expect(fromInfo({ address: '127.0.0.1', port: 1, family: 'IPv4' }).family).toBe(4);
    expect(fromInfo({ address: 'fe80::1%eth0', port: 1, family: 'IPv6' }).address).toBe('fe80::1%eth0');
    expect(fromInfo({ address: '10.0.0.1', port: 1, family: 4 }).family).toBe(4); // Node 18.0–18.3
    expect(fromInfo({ address: '10.0.0.1', port: 1 }).family).toBe(4);
    expect(fromInfo({ address: '0.0.0.0', port: 0, family: 'IPv4' }).port).toBe(0);
  });

  it('refuses names, bad families and non-objects', () => {
    expect(codeOf(() => fromInfo({ address: 'localhost', port: 1 }))).toBe('ERR_ENDPOINT_HOST');
    expect(codeOf(() => fromInfo({ address: '', port: 1 }))).toBe('ERR_ENDPOINT_HOST');
    expect(codeOf(() => fromInfo({ address: '10.0.0.1', port: 1, family: 'IPv6' }))).toBe('ERR_ENDPOINT_HOST');
    expect(codeOf(() => fromInfo({ address: '::1', port: 1, family: 'inet' }))).toBe('ERR_ENDPOINT_HOST');
    expect(codeOf(() => fromInfo({ address: '10.0.0.1', port: 70000 }))).toBe('ERR_ENDPOINT_PORT');
    expect(codeOf(() => fromInfo(null as never))).toBe('ERR_ENDPOINT_ARGUMENT');
    try {
      fromInfo({ address: '10.0.0.1', port: 1, family: 'IPv6' });
    } catch (e) {
      expect((e as Error).message).toBe(
        'network-endpoint-from-address-info: family "IPv6" does not match the address "10.0.0.1"',
      );
    }
  });
});

describe('networkEndpointToAddressInfo', () => {
  it('gives canonical address, port and family', () => {
    expect(toInfo(makeNetworkEndpoint('127.0.0.1', 69))).toEqual({ address: '127.0.0.1', port: 69, family: 'IPv4' });
    expect(toInfo(makeNetworkEndpoint('0::1', 69))).toEqual({ address: '::1', port: 69, family: 'IPv6' });
    expect(toInfo(makeNetworkEndpoint('FE80::1%lo', 69))).toEqual({ address: 'fe80::1%lo', port: 69, family: 'IPv6' });
  });

  it('true becomes the wildcard of the chosen family (:: by default)', () => {
    expect(toInfo(makeNetworkEndpoint(69))).toEqual({ address: '::', port: 69, family: 'IPv6' });
    expect(toInfo(makeNetworkEndpoint(69), { family: 4 })).toEqual({ address: '0.0.0.0', port: 69, family: 'IPv4' });
    expect(codeOf(() => toInfo(makeNetworkEndpoint(69), { family: 5 as never }))).toBe('ERR_ENDPOINT_ARGUMENT');
  });

  it('unresolved names cannot be converted; resolved ones can', async () => {
    const named = makeNetworkEndpoint('localhost', 69);
    expect(codeOf(() => toInfo(named))).toBe('ERR_ENDPOINT_UNRESOLVED');
    const resolved = await resolveNetworkEndpoint(named, { family: 4 });
    expect(toInfo(resolved)).toEqual({ address: '127.0.0.1', port: 69, family: 'IPv4' });
  });

  it('round-trips through fromInfo', () => {
    for (const [h, p] of [
      ['10.1.2.3', 1],
      ['::ffff:10.1.2.3', 2],
      ['fe80::a%x', 3],
      ['2001:db8::', 4],
    ] as const) {
      const ep = makeNetworkEndpoint(h, p);
      expect(networkEndpointEqual(fromInfo(toInfo(ep)), ep)).toBe(true);
    }
  });
});

async function echoOnce(type: 'udp4' | 'udp6', loopback: string): Promise<[RemoteInfo, Socket, Socket]> {
  const a = createSocket(type);
  const b = createSocket(type);
  a.bind(0, loopback);
  b.bind(0, loopback);
  await Promise.all([once(a, 'listening'), once(b, 'listening')]);
  const received = once(a, 'message') as Promise<[Buffer, RemoteInfo]>;
  b.send('hi', a.address().port, loopback);
  const [, rinfo] = await received;
  return [rinfo, a, b];
}

describe('with real node:dgram sockets', () => {
  it('the rinfo of a received datagram becomes the sender endpoint (IPv4)', async () => {
    const [rinfo, a, b] = await echoOnce('udp4', '127.0.0.1');
    try {
      const sender = fromInfo(rinfo);
      expect(networkEndpointEqual(sender, makeNetworkEndpoint('127.0.0.1', b.address().port))).toBe(true);
      // and its address info can be sent to
      const back = once(b, 'message');
      const info = toInfo(sender);
      a.send('back', info.port, info.address);
      const [msg] = (await back) as [Buffer];
      expect(msg.toString()).toBe('back');
    } finally {
      a.close();
      b.close();
    }
  });

  it('the rinfo of a received datagram becomes the sender endpoint (IPv6, ::1)', async (ctx) => {
    let result: [RemoteInfo, Socket, Socket];
    try {
      result = await echoOnce('udp6', '::1');
    } catch {
      ctx.skip(); // no IPv6 loopback here
      return;
    }
    const [rinfo, a, b] = result;
    try {
      const sender = fromInfo(rinfo);
      expect(sender.family).toBe(6);
      expect(networkEndpointEqual(sender, makeNetworkEndpoint('0:0:0:0:0:0:0:1', b.address().port))).toBe(true);
      expect(networkEndpointEqual(fromInfo(a.address()), makeNetworkEndpoint('::1', a.address().port))).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });
});
