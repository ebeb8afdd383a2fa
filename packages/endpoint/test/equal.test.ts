import { describe, expect, it } from 'vitest';
import {
  networkEndpointEqual as equal,
  networkEndpointFamily as family,
  networkEndpointKey as key,
  makeNetworkEndpoint as make,
} from '../src/index.js';

describe('networkEndpointEqual', () => {
  it('compares canonical addresses and ports', () => {
    expect(equal(make('::1', 69), make('0:0:0:0:0:0:0:1', 69))).toBe(true);
    expect(equal(make('2001:DB8::1', 69), make('2001:db8:0:0:0:0:0:1', 'tftp'))).toBe(true);
    expect(equal(make('127.0.0.1', 69), make(new Uint8Array([127, 0, 0, 1]), 69))).toBe(true);
    expect(equal(make('127.0.0.1', 69), make('127.0.0.1', 70))).toBe(false);
    expect(equal(make('127.0.0.1', 69), make('127.0.0.2', 69))).toBe(false);
    expect(equal(make('::1', 69), make('::2', 69))).toBe(false);
  });

  it('an IPv4-mapped IPv6 address equals its IPv4 address', () => {
    expect(equal(make('::ffff:127.0.0.1', 69), make('127.0.0.1', 69))).toBe(true);
    expect(equal(make('127.0.0.1', 69), make('::FFFF:7F00:1', 69))).toBe(true);
    expect(equal(make('::ffff:127.0.0.1', 69), make('127.0.0.2', 69))).toBe(false);
    // ...but the IPv4-compatible form ::a.b.c.d (deprecated) is a different address
    expect(equal(make('::127.0.0.1', 69), make('127.0.0.1', 69))).toBe(false);
  });

  it('zone ids must match exactly', () => {
    expect(equal(make('fe80::1%eth0', 1), make('FE80:0::1%eth0', 1))).toBe(true);
    expect(equal(make('fe80::1%eth0', 1), make('fe80::1%eth1', 1))).toBe(false);
    expect(equal(make('fe80::1%eth0', 1), make('fe80::1', 1))).toBe(false);
  });

  it('true equals only true', () => {
    expect(equal(make(), make(true, 0))).toBe(true);
    expect(equal(make(true, 0), make('0.0.0.0', 0))).toBe(false);
    expect(equal(make(true, 0), make('::', 0))).toBe(false);
    expect(equal(make(true, 1), make(true, 2))).toBe(false);
  });

  it('unresolved names compare by name, case-insensitively, ignoring one trailing dot', () => {
    expect(equal(make('Example.COM', 1), make('example.com.', 1))).toBe(true);
    expect(equal(make('example.com', 1), make('example.org', 1))).toBe(false);
    expect(equal(make('localhost', 1), make('127.0.0.1', 1))).toBe(false);
  });

  it('is the same for the same object', () => {
    const ep = make('example.com', 1);
    expect(equal(ep, ep)).toBe(true);
  });
});

describe('networkEndpointKey', () => {
  it('is the same string for equal endpoints', () => {
    expect(key(make('::ffff:127.0.0.1', 69))).toBe('127.0.0.1:69');
    expect(key(make('127.0.0.1', 69))).toBe('127.0.0.1:69');
    expect(key(make('0::1', 69))).toBe('[::1]:69');
    expect(key(make('fe80::1%lo', 69))).toBe('[fe80::1%lo]:69');
    expect(key(make(true, 69))).toBe('*:69');
    expect(key(make('Example.COM.', 69))).toBe('example.com:69');
  });

  it('works as a Map key for one entry per peer', () => {
    const sessions = new Map<string, number>();
    for (const [h, p] of [
      ['127.0.0.1', 1000],
      ['::ffff:127.0.0.1', 1000],
      ['127.0.0.1', 1001],
      ['::1', 1000],
      ['0:0:0:0:0:0:0:1', 1000],
    ] as const) {
      const k = key(make(h, p));
      sessions.set(k, (sessions.get(k) ?? 0) + 1);
    }
    expect([...sessions.values()]).toEqual([2, 1, 2]);
  });
});

describe('networkEndpointFamily', () => {
  it('is 4 or 6 for addresses, undefined for names and true', () => {
    expect(family(make('10.0.0.1', 1))).toBe(4);
    expect(family(make(new Uint8Array(4), 0))).toBe(4);
    expect(family(make('::1', 1))).toBe(6);
    expect(family(make('::ffff:10.0.0.1', 1))).toBe(6);
    expect(family(make(new Uint8Array(16), 1))).toBe(6);
    expect(family(make('fe80::1%lo', 1))).toBe(6);
    expect(family(make('example.com', 1))).toBeUndefined();
    expect(family(make(1))).toBeUndefined();
  });
});
