// Test helpers: every channel made through `track` is closed after each test.

import { makeNetworkEndpoint, type NetworkEndpoint } from '@udpkit/endpoint';
import { afterEach } from 'vitest';
import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelLocalEndpoint,
  makeDatagramChannel,
  makeOutputOnlyDatagramChannel,
} from '../src/index.js';

const open = new Set<DatagramChannel>();

afterEach(() => {
  for (const ch of open) datagramChannelClose(ch);
  open.clear();
});

export function track<T extends DatagramChannel>(ch: T): T {
  open.add(ch);
  return ch;
}

/** A channel bound to `host` on an ephemeral port. */
export async function channelOn(host: string | true): Promise<DatagramChannel> {
  return track(await makeDatagramChannel(makeNetworkEndpoint(host, 0)));
}

export async function outputOnly(): Promise<DatagramChannel> {
  return track(await makeOutputOnlyDatagramChannel());
}

/** The endpoint others send to, to reach `ch` (its local endpoint). */
export function addressOf(ch: DatagramChannel): NetworkEndpoint {
  const ep = datagramChannelLocalEndpoint(ch);
  if (ep === false) throw new Error('channel has no local endpoint');
  return ep;
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (b: Uint8Array, n = b.length): string => new TextDecoder().decode(b.subarray(0, n));

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The two loopback families every network test runs on. */
export const FAMILIES = [
  { name: 'IPv4', loopback: '127.0.0.1', wildcard: '0.0.0.0' },
  { name: 'IPv6', loopback: '::1', wildcard: '::' },
] as const;

/** The rejection of `p` (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** The exception `f` throws (fails the test when it returns). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception');
}

/** Calls `f` every few milliseconds until its result's first element is not false (≤ 2 s). */
export async function pollUntil<T extends readonly unknown[]>(f: () => T): Promise<T> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const r = f();
    if (r[0] !== false || Date.now() > deadline) return r;
    await sleep(2);
  }
}
