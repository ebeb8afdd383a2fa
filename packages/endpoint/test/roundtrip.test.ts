// Property-based tests (fast-check): every accessor result is accepted again by
// make-network-endpoint (Cowan), and text forms agree with node:net and WHATWG URL.
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeNetworkEndpoint,
  type NetworkEndpoint,
  networkEndpointBytevectorAddress,
  networkEndpointEqual,
  networkEndpointFamily,
  networkEndpointHost,
  networkEndpointKey,
  networkEndpointPort,
  networkEndpointStringAddress,
  parseNetworkEndpoint,
} from '../src/index.js';

const port = fc.integer({ min: 1, max: 65535 });
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const tld = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const hostName = fc
  .tuple(fc.array(label, { maxLength: 3 }), tld, fc.boolean())
  .map(([labels, top, dot]) => [...labels, top].join('.') + (dot ? '.' : ''));
const zone = fc.stringMatching(/^[A-Za-z0-9._~-]{1,10}$/);
const ipv6WithZone = fc.tuple(fc.ipV6(), zone).map(([a, z]) => `${a}%${z}`);
const mapped = fc.ipV4().map((a) => `::ffff:${a}`);
const bytes4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

const host = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  ipv6WithZone,
  mapped,
  hostName,
  bytes4,
  bytes16,
  fc.constant(true as const),
);
const endpoint = fc.tuple(host, port).map(([h, p]) => makeNetworkEndpoint(h, p));

describe('round trips (every accessor result is accepted again)', () => {
  it('host + port make an equal endpoint', () => {
    fc.assert(
      fc.property(endpoint, (ep) => {
        const again = makeNetworkEndpoint(networkEndpointHost(ep), networkEndpointPort(ep));
        expect(networkEndpointEqual(again, ep)).toBe(true);
        expect(networkEndpointHost(again)).toBe(networkEndpointHost(ep));
      }),
    );
  });

  it('string address + port make an equal endpoint', () => {
    fc.assert(
      fc.property(endpoint, (ep) => {
        if (ep.address === undefined) return; // unresolved names have no address
        const again = makeNetworkEndpoint(networkEndpointStringAddress(ep), networkEndpointPort(ep));
        expect(networkEndpointEqual(again, ep)).toBe(true);
        expect(networkEndpointStringAddress(again)).toBe(networkEndpointStringAddress(ep));
      }),
    );
  });

  it('bytevector address + port make an endpoint with the same bytes (zone ids have no bytes)', () => {
    fc.assert(
      fc.property(endpoint, (ep) => {
        if (ep.address === undefined) return;
        const b = networkEndpointBytevectorAddress(ep);
        const again = makeNetworkEndpoint(b, networkEndpointPort(ep));
        expect(networkEndpointBytevectorAddress(again)).toEqual(b);
        const text = networkEndpointStringAddress(ep);
        if (typeof text === 'string' && !text.includes('%')) expect(networkEndpointEqual(again, ep)).toBe(true);
      }),
    );
  });

  it('bytes → endpoint → bytes is the identity', () => {
    fc.assert(
      fc.property(fc.oneof(bytes4, bytes16), (b) => {
        expect(networkEndpointBytevectorAddress(makeNetworkEndpoint(b, 1))).toEqual(b);
      }),
    );
  });

  it('parse(toString(ep)) equals ep', () => {
    fc.assert(
      fc.property(fc.tuple(host, fc.integer({ min: 0, max: 65535 })), ([h, p]) => {
        let ep: NetworkEndpoint;
        try {
          ep = makeNetworkEndpoint(h, p);
        } catch {
          return; // port 0 with a host that is not local
        }
        const again = parseNetworkEndpoint(ep.toString());
        expect(networkEndpointEqual(again, ep)).toBe(true);
        expect(again.toString()).toBe(ep.toString());
      }),
    );
  });

  it('networkEndpointKey agrees with networkEndpointEqual', () => {
    fc.assert(
      fc.property(endpoint, endpoint, (a, b) => {
        expect(networkEndpointKey(a) === networkEndpointKey(b)).toBe(networkEndpointEqual(a, b));
        expect(networkEndpointEqual(a, a)).toBe(true);
      }),
    );
  });
});

describe('address text agrees with node:net and WHATWG URL', () => {
  it('family: ours equals net.isIP on addresses and on address-like noise (no zones)', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.x'), maxLength: 46 });
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), mapped, noise), (s) => {
        let family: number;
        try {
          const ep = makeNetworkEndpoint(s, 1);
          family = networkEndpointFamily(ep) ?? 0;
        } catch {
          family = 0;
        }
        expect(family, s).toBe(isIP(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('canonical IPv6 text equals the WHATWG URL serialisation (outside ::ffff:0:0/96)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (s) => {
        const ours = networkEndpointStringAddress(makeNetworkEndpoint(s, 1)) as string;
        if (ours.startsWith('::ffff:') && ours.includes('.')) return; // RFC 5952 §5 mixed notation
        expect(ours).toBe(new URL(`http://[${s}]/`).hostname.slice(1, -1));
      }),
      { numRuns: 1000 },
    );
  });

  it('IPv6 bytes equal the WHATWG URL parse', () => {
    fc.assert(
      fc.property(fc.ipV6(), (s) => {
        const b = networkEndpointBytevectorAddress(makeNetworkEndpoint(s, 1)) as Uint8Array;
        const url = new URL(`http://[${s}]/`).hostname.slice(1, -1);
        const viaUrl = networkEndpointBytevectorAddress(makeNetworkEndpoint(url, 1));
        expect(b).toEqual(viaUrl);
        expect(b.length).toBe(16);
      }),
    );
  });
});
