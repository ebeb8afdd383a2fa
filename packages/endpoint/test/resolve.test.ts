import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  makeNetworkEndpoint,
  NetworkEndpointError,
  type NetworkEndpointLookup,
  networkEndpointBytevectorAddress,
  networkEndpointEqual,
  networkEndpointHost,
  networkEndpointPort,
  networkEndpointStringAddress,
  resolveNetworkEndpoint,
  resolveNetworkEndpointAll,
} from '../src/index.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** A lookup that answers only when told to. */
function pendingLookup() {
  let answer!: (value: { address: string; family: number }[]) => void;
  let calls = 0;
  const lookup: NetworkEndpointLookup = () => {
    calls++;
    return new Promise((resolve) => {
      answer = resolve;
    });
  };
  return { lookup, answer: (v: { address: string; family: number }[]) => answer(v), calls: () => calls };
}

describe('resolveNetworkEndpoint with the OS resolver', () => {
  it('resolves localhost to a loopback address, keeping the name as host', async () => {
    const named = makeNetworkEndpoint('localhost', 'tftp');
    const ep = await resolveNetworkEndpoint(named);
    expect(networkEndpointHost(ep)).toBe('localhost');
    expect(networkEndpointPort(ep)).toBe(69);
    expect(['127.0.0.1', '::1']).toContain(networkEndpointStringAddress(ep));
    expect(networkEndpointBytevectorAddress(ep)).toBeInstanceOf(Uint8Array);
    expect(ep.name).toBe('localhost');
    expect(String(ep)).toMatch(/^(127\.0\.0\.1|\[::1\]):69$/);
    expect(named.address).toBeUndefined(); // the original is unchanged
  });

  it('family 4 gives 127.0.0.1', async () => {
    const ep = await resolveNetworkEndpoint(makeNetworkEndpoint('localhost', 1), { family: 4 });
    expect(networkEndpointStringAddress(ep)).toBe('127.0.0.1');
    expect(ep.family).toBe(4);
    expect(networkEndpointEqual(ep, makeNetworkEndpoint('127.0.0.1', 1))).toBe(true);
  });

  it('resolveNetworkEndpointAll gives one endpoint per address', async () => {
    const all = await resolveNetworkEndpointAll(makeNetworkEndpoint('localhost', 1));
    expect(all.length).toBeGreaterThan(0);
    for (const ep of all) {
      expect(networkEndpointHost(ep)).toBe('localhost');
      expect(['127.0.0.1', '::1']).toContain(networkEndpointStringAddress(ep));
    }
  });

  it('a name under .invalid fails with ERR_ENDPOINT_RESOLVE / ENOTFOUND, without hanging', async () => {
    const start = Date.now();
    const e = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('no-such-host.invalid', 69)),
    )) as NetworkEndpointError;
    expect(e).toBeInstanceOf(NetworkEndpointError);
    expect(e.code).toBe('ERR_ENDPOINT_RESOLVE');
    expect(e.resolverCode).toBe('ENOTFOUND');
    expect(e.hostname).toBe('no-such-host.invalid');
    expect(e.message).toBe(
      'resolve-network-endpoint: cannot resolve "no-such-host.invalid": ENOTFOUND (Name or service not known)',
    );
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('endpoints that already have an address resolve to themselves', async () => {
    for (const ep of [makeNetworkEndpoint('127.0.0.1', 1), makeNetworkEndpoint(1), makeNetworkEndpoint('::1', 1)]) {
      expect(await resolveNetworkEndpoint(ep)).toBe(ep);
    }
    const resolved = await resolveNetworkEndpoint(makeNetworkEndpoint('localhost', 1));
    expect(await resolveNetworkEndpoint(resolved)).toBe(resolved);
  });

  it('rejects non-endpoints and bad options', async () => {
    const e = (await rejection(resolveNetworkEndpoint('localhost' as never))) as NetworkEndpointError;
    expect(e.code).toBe('ERR_ENDPOINT_ARGUMENT');
    expect(e.message).toBe('resolve-network-endpoint: expected a network endpoint; given "localhost"');
    const f = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('localhost', 1), { family: 5 as never }),
    )) as NetworkEndpointError;
    expect(f.code).toBe('ERR_ENDPOINT_ARGUMENT');
  });
});

describe('resolver errors', () => {
  it('keep the resolver code and the cause, with the Linux gai_strerror text', async () => {
    const cause = Object.assign(new Error('getaddrinfo EAI_AGAIN example.com'), { code: 'EAI_AGAIN' });
    const lookup: NetworkEndpointLookup = async () => {
      throw cause;
    };
    const e = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { lookup }),
    )) as NetworkEndpointError;
    expect(e.code).toBe('ERR_ENDPOINT_RESOLVE');
    expect(e.resolverCode).toBe('EAI_AGAIN');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(
      'resolve-network-endpoint: cannot resolve "example.com": EAI_AGAIN (Temporary failure in name resolution)',
    );
  });

  it('an empty answer, or answers of the wrong family, are ENOTFOUND', async () => {
    const empty: NetworkEndpointLookup = async () => [];
    const e = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { lookup: empty }),
    )) as NetworkEndpointError;
    expect(e.resolverCode).toBe('ENOTFOUND');
    const v6only: NetworkEndpointLookup = async () => [{ address: '2001:db8::1', family: 6 }];
    const f = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { lookup: v6only, family: 4 }),
    )) as NetworkEndpointError;
    expect(f.resolverCode).toBe('ENOTFOUND');
  });

  it('a resolver answer that is not an address is an error', async () => {
    const bad: NetworkEndpointLookup = async () => [{ address: 'not-an-address', family: 4 }];
    const e = (await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { lookup: bad }),
    )) as NetworkEndpointError;
    expect(e.code).toBe('ERR_ENDPOINT_RESOLVE');
    expect(e.message).toBe(
      'resolve-network-endpoint: the resolver answered "not-an-address" for "example.com", which is not an IP address',
    );
  });

  it('accepts a lookup that answers a single object', async () => {
    const single = (async () => ({ address: '192.0.2.9', family: 4 })) as unknown as NetworkEndpointLookup;
    const ep = await resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { lookup: single });
    expect(String(ep)).toBe('192.0.2.9:1');
  });

  it('passes the family to the lookup and keeps its order', async () => {
    const seen: unknown[] = [];
    const lookup: NetworkEndpointLookup = async (name, options) => {
      seen.push([name, options]);
      return [
        { address: '2001:db8::5', family: 6 },
        { address: '192.0.2.5', family: 4 },
      ];
    };
    const all = await resolveNetworkEndpointAll(makeNetworkEndpoint('example.com', 7), { lookup });
    expect(all.map(String)).toEqual(['[2001:db8::5]:7', '192.0.2.5:7']);
    expect(all.map((ep) => ep.host)).toEqual(['example.com', 'example.com']);
    const first = await resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 7), { lookup, family: 4 });
    expect(String(first)).toBe('192.0.2.5:7');
    expect(seen).toEqual([
      ['example.com', { family: 0, all: true }],
      ['example.com', { family: 4, all: true }],
    ]);
  });
});

describe('cancellation', () => {
  it('an already-aborted signal rejects with its reason, before any lookup', async () => {
    const pending = pendingLookup();
    const reason = new Error('stop');
    const e = await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), {
        signal: AbortSignal.abort(reason),
        lookup: pending.lookup,
      }),
    );
    expect(e).toBe(reason);
    expect(pending.calls()).toBe(0);
  });

  it('an abort during the lookup rejects with signal.reason and removes the listener', async () => {
    const pending = pendingLookup();
    const controller = new AbortController();
    const p = resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), {
      signal: controller.signal,
      lookup: pending.lookup,
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(pending.calls()).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const e = await rejection(p);
    expect(e).toBe(controller.signal.reason);
    expect((e as Error).name).toBe('AbortError');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    pending.answer([{ address: '192.0.2.1', family: 4 }]); // a late answer is ignored
  });

  it('an abort during a real OS lookup rejects with a TimeoutError reason', async () => {
    const controller = new AbortController();
    const p = resolveNetworkEndpoint(makeNetworkEndpoint('localhost', 1), { signal: controller.signal });
    const reason = new DOMException('too slow', 'TimeoutError');
    controller.abort(reason); // getaddrinfo runs on the thread pool: it cannot have answered yet
    expect(await rejection(p)).toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('listeners are removed when the lookup settles, whether it succeeds or fails', async () => {
    const controller = new AbortController();
    await resolveNetworkEndpoint(makeNetworkEndpoint('localhost', 1), { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const failing: NetworkEndpointLookup = async () => {
      throw Object.assign(new Error('x'), { code: 'ENOTFOUND' });
    };
    await rejection(
      resolveNetworkEndpoint(makeNetworkEndpoint('example.com', 1), { signal: controller.signal, lookup: failing }),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
