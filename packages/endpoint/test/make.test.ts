import { describe, expect, it } from 'vitest';
import {
  isNetworkEndpoint,
  makeNetworkEndpoint,
  networkEndpointBytevectorAddress,
  networkEndpointFamily,
  networkEndpointHost,
  networkEndpointPort,
  networkEndpointStringAddress,
  scheme,
} from '../src/index.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('scheme map', () => {
  it('holds the six procedures under their exact spec names, frozen', () => {
    expect(Object.keys(scheme).sort()).toEqual(
      [
        'make-network-endpoint',
        'network-endpoint-bytevector-address',
        'network-endpoint-host',
        'network-endpoint-port',
        'network-endpoint-string-address',
        'network-endpoint?',
      ].sort(),
    );
    expect(scheme['make-network-endpoint']).toBe(makeNetworkEndpoint);
    expect(scheme['network-endpoint?']).toBe(isNetworkEndpoint);
    expect(scheme['network-endpoint-bytevector-address']).toBe(networkEndpointBytevectorAddress);
    expect(scheme['network-endpoint-string-address']).toBe(networkEndpointStringAddress);
    expect(scheme['network-endpoint-host']).toBe(networkEndpointHost);
    expect(scheme['network-endpoint-port']).toBe(networkEndpointPort);
    expect(Object.isFrozen(scheme)).toBe(true);
  });
});

describe('make-network-endpoint arities', () => {
  it('no argument: any local address, OS-chosen port (#t, 0)', () => {
    const ep = makeNetworkEndpoint();
    expect(networkEndpointHost(ep)).toBe(true);
    expect(networkEndpointStringAddress(ep)).toBe(true);
    expect(networkEndpointBytevectorAddress(ep)).toBe(true);
    expect(networkEndpointPort(ep)).toBe(0);
  });

  it('one argument is the port', () => {
    const ep = makeNetworkEndpoint(6969);
    expect(networkEndpointHost(ep)).toBe(true);
    expect(networkEndpointPort(ep)).toBe(6969);
    expect(networkEndpointPort(makeNetworkEndpoint('tftp'))).toBe(69);
  });

  it('trailing undefined arguments count as omitted', () => {
    expect(networkEndpointPort(makeNetworkEndpoint(undefined))).toBe(0);
    expect(networkEndpointPort(makeNetworkEndpoint(undefined, undefined))).toBe(0);
    expect(networkEndpointPort(makeNetworkEndpoint(7 as never, undefined))).toBe(7);
  });

  it('a false, null or undefined host means true (any local address)', () => {
    for (const host of [true, false, null, undefined]) {
      const ep = makeNetworkEndpoint(host, 80);
      expect(networkEndpointHost(ep)).toBe(true);
      expect(networkEndpointPort(ep)).toBe(80);
    }
    expect(networkEndpointPort(makeNetworkEndpoint(true, 0))).toBe(0);
  });

  it('returns a fresh endpoint each time', () => {
    expect(makeNetworkEndpoint('127.0.0.1', 1)).not.toBe(makeNetworkEndpoint('127.0.0.1', 1));
  });
});

describe('host forms', () => {
  it('IPv4 dotted decimal', () => {
    const ep = makeNetworkEndpoint('192.0.2.7', 69);
    expect(networkEndpointStringAddress(ep)).toBe('192.0.2.7');
    expect(networkEndpointHost(ep)).toBe('192.0.2.7');
    expect(networkEndpointBytevectorAddress(ep)).toEqual(bytes(192, 0, 2, 7));
    expect(networkEndpointFamily(ep)).toBe(4);
  });

  it('IPv6, given in any valid form, reads back in RFC 5952 form', () => {
    const cases: [string, string][] = [
      ['::1', '::1'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs (§4.2.3)
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single 0 is not compressed (§4.2.2)
      ['2001:db8::0:1', '2001:db8::1'],
      ['::', '::'],
      ['1::', '1::'],
      ['fe80::', 'fe80::'],
      ['::ffff:0:0', '::ffff:0.0.0.0'],
      ['::1.2.3.4', '::102:304'],
    ];
    for (const [given, canonical] of cases) {
      const ep = makeNetworkEndpoint(given, 1);
      expect(networkEndpointStringAddress(ep), given).toBe(canonical);
      expect(networkEndpointHost(ep), given).toBe(canonical);
      expect(networkEndpointFamily(ep), given).toBe(6);
    }
    expect(networkEndpointBytevectorAddress(makeNetworkEndpoint('2001:db8::1', 1))).toEqual(
      bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    );
  });

  it('IPv6 with a zone id keeps the zone in its text, not in its bytes', () => {
    const ep = makeNetworkEndpoint('FE80::1%lo', 69);
    expect(networkEndpointStringAddress(ep)).toBe('fe80::1%lo');
    expect(networkEndpointHost(ep)).toBe('fe80::1%lo');
    expect(networkEndpointBytevectorAddress(ep)).toEqual(bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    expect(networkEndpointStringAddress(makeNetworkEndpoint('fe80::1%eth0', 1))).toBe('fe80::1%eth0');
  });

  it('IPv4-mapped IPv6 stays IPv6, written in mixed notation (RFC 5952 §5)', () => {
    for (const given of ['::ffff:127.0.0.1', '::FFFF:7f00:1', '0:0:0:0:0:ffff:127.0.0.1']) {
      const ep = makeNetworkEndpoint(given, 69);
      expect(networkEndpointStringAddress(ep)).toBe('::ffff:127.0.0.1');
      expect(networkEndpointFamily(ep)).toBe(6);
      expect(networkEndpointBytevectorAddress(ep)).toEqual(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1));
    }
  });

  it('bytevectors of 4 and 16 bytes; a Buffer is accepted and copied', () => {
    const four = bytes(10, 1, 2, 3);
    const ep4 = makeNetworkEndpoint(four, 69);
    four[0] = 99; // the endpoint does not share the caller's bytes
    expect(networkEndpointStringAddress(ep4)).toBe('10.1.2.3');
    const ep6 = makeNetworkEndpoint(Buffer.from('20010db8000000000000000000000002', 'hex'), 69);
    expect(networkEndpointStringAddress(ep6)).toBe('2001:db8::2');
    const out = networkEndpointBytevectorAddress(ep4) as Uint8Array;
    out[0] = 1; // nor does it hand out its own
    expect(networkEndpointBytevectorAddress(ep4)).toEqual(bytes(10, 1, 2, 3));
  });

  it('broadcast and multicast addresses are valid hosts', () => {
    expect(networkEndpointStringAddress(makeNetworkEndpoint('255.255.255.255', 67))).toBe('255.255.255.255');
    expect(networkEndpointStringAddress(makeNetworkEndpoint('224.0.0.251', 5353))).toBe('224.0.0.251');
    expect(networkEndpointStringAddress(makeNetworkEndpoint('ff02::fb', 5353))).toBe('ff02::fb');
  });

  it('host names are kept as given and not looked up', () => {
    const ep = makeNetworkEndpoint('Example.COM', 'http');
    expect(networkEndpointHost(ep)).toBe('Example.COM');
    expect(networkEndpointPort(ep)).toBe(80);
    expect(networkEndpointFamily(ep)).toBeUndefined();
    for (const name of [
      'localhost',
      'a',
      'a-b.c_d.example.',
      'xn--bcher-kva.example',
      '1password.com',
      `${'a'.repeat(63)}.x`,
    ]) {
      expect(networkEndpointHost(makeNetworkEndpoint(name, 1)), name).toBe(name);
    }
  });

  it('accepts fresh (non-literal) strings the way node:dgram hands them out', () => {
    const v4 = ['127', '0', '0', '1'].join('.');
    const v6 = ['::ffff', '127.0.0.1'].join(':');
    for (let i = 0; i < 10; i++) {
      expect(networkEndpointStringAddress(makeNetworkEndpoint(v4, 1000 + i))).toBe('127.0.0.1');
      expect(networkEndpointStringAddress(makeNetworkEndpoint(v6, 1000 + i))).toBe('::ffff:127.0.0.1');
    }
  });
});

describe('ports', () => {
  it('integers 0–65535, service names (case-insensitive) and decimal strings', () => {
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 65535))).toBe(65535);
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 1))).toBe(1);
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 'TFTP'))).toBe(69);
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 'domain'))).toBe(53);
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', '6969'))).toBe(6969);
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 69.0))).toBe(69);
  });

  it('-0 is port 0', () => {
    expect(Object.is(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', -0)), 0)).toBe(true);
  });

  it('port 0 is accepted for local hosts', () => {
    const local: unknown[] = [
      true,
      '0.0.0.0',
      '::',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST.',
      'tftp.localhost',
      new Uint8Array([127, 0, 0, 1]),
    ];
    for (const host of local) {
      expect(networkEndpointPort(makeNetworkEndpoint(host as string, 0)), String(host)).toBe(0);
    }
  });

  it("port 0 is accepted for this machine's own interface addresses and host name", async () => {
    const os = await import('node:os');
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .map((info) => info?.address)
      .filter((a): a is string => typeof a === 'string');
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      expect(networkEndpointPort(makeNetworkEndpoint(address, 0)), address).toBe(0);
    }
    expect(networkEndpointPort(makeNetworkEndpoint(os.hostname(), 0))).toBe(0);
  });
});

describe('network-endpoint?', () => {
  it('is true for endpoints only', () => {
    expect(isNetworkEndpoint(makeNetworkEndpoint())).toBe(true);
    expect(isNetworkEndpoint(makeNetworkEndpoint('example.com', 1))).toBe(true);
    for (const v of [null, undefined, 0, '127.0.0.1:69', {}, { host: true, port: 0 }, [], () => {}]) {
      expect(isNetworkEndpoint(v), String(v)).toBe(false);
    }
  });
});

describe('immutability', () => {
  it('endpoints expose read-only properties only', () => {
    const ep = makeNetworkEndpoint('127.0.0.1', 69) as unknown as Record<string, unknown>;
    expect(() => {
      ep.port = 70;
    }).toThrow(TypeError);
    expect(() => {
      ep.address = '10.0.0.1';
    }).toThrow(TypeError);
    expect(Object.keys(ep)).toEqual([]);
    expect(networkEndpointPort(ep as never)).toBe(69);
  });

  it('properties mirror the accessors', () => {
    const ep = makeNetworkEndpoint('0:0::1', 'tftp');
    expect(ep.address).toBe('::1');
    expect(ep.host).toBe('::1');
    expect(ep.port).toBe(69);
    expect(ep.family).toBe(6);
    expect(ep.name).toBeUndefined();
    const named = makeNetworkEndpoint('example.com', 1);
    expect(named.address).toBeUndefined();
    expect(named.name).toBe('example.com');
    expect(Object.prototype.toString.call(named)).toBe('[object NetworkEndpoint]');
  });
});
