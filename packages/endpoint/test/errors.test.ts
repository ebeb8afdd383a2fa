import { describe, expect, it } from 'vitest';
import {
  isNetworkEndpointError,
  makeNetworkEndpoint,
  NetworkEndpointError,
  type NetworkEndpointErrorCode,
  networkEndpointBytevectorAddress,
  networkEndpointEqual,
  networkEndpointFamily,
  networkEndpointHost,
  networkEndpointKey,
  networkEndpointPort,
  networkEndpointStringAddress,
} from '../src/index.js';

function caught(f: () => unknown): NetworkEndpointError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkEndpointError);
    return e as NetworkEndpointError;
  }
  throw new Error('expected an error');
}

function expectError(f: () => unknown, code: NetworkEndpointErrorCode, message: string): void {
  const e = caught(f);
  expect(e.code).toBe(code);
  expect(e.message).toBe(message);
}

const M = 'make-network-endpoint';

describe('bad hosts: ERR_ENDPOINT_HOST', () => {
  const cases: [unknown, string][] = [
    [
      new Uint8Array([1, 2, 3]),
      'a bytevector host must have 4 (IPv4) or 16 (IPv6) bytes; given Uint8Array(3) [1, 2, 3]',
    ],
    [new Uint8Array(5), 'a bytevector host must have 4 (IPv4) or 16 (IPv6) bytes; given Uint8Array(5) [0, 0, 0, 0, 0]'],
    [new Uint8Array(0), 'a bytevector host must have 4 (IPv4) or 16 (IPv6) bytes; given Uint8Array(0) []'],
    ['1.2.3.4.5', 'not a valid IPv4 address: "1.2.3.4.5"'],
    ['256.0.0.1', 'not a valid IPv4 address: "256.0.0.1"'],
    ['1.2.3', 'not a valid IPv4 address: "1.2.3"'],
    ['01.2.3.4', 'not a valid IPv4 address: "01.2.3.4"'],
    ['127.1', 'not a valid IPv4 address: "127.1"'],
    ['1:2:3', 'not a valid IPv6 address: "1:2:3"'],
    ['1::2::3', 'not a valid IPv6 address: "1::2::3"'],
    ['1:2:3:4:5:6:7:8:9', 'not a valid IPv6 address: "1:2:3:4:5:6:7:8:9"'],
    ['12345::', 'not a valid IPv6 address: "12345::"'],
    ['fe80::1%', 'not a valid IPv6 address: "fe80::1%"'],
    ['fe80::1%a b', 'not a valid IPv6 address: "fe80::1%a b"'],
    [':1', 'not a valid IPv6 address: ":1"'],
    ['1:', 'not a valid IPv6 address: "1:"'],
    ['::ffff:1.2.3', 'not a valid IPv6 address: "::ffff:1.2.3"'],
    ['[::1]', 'not a valid IPv6 address: "[::1]"'],
    ['', 'host must not be an empty string'],
    ['exa mple.com', 'not a valid host name: "exa mple.com"'],
    ['bad/name', 'not a valid host name: "bad/name"'],
    ['-leading.example', 'not a valid host name: "-leading.example"'],
    ['trailing-.example', 'not a valid host name: "trailing-.example"'],
    ['a..b', 'not a valid host name: "a..b"'],
    ['.', 'not a valid host name: "."'],
    ['bücher.example', 'not a valid host name: "bücher.example"'],
    [`${'a'.repeat(64)}.example`, `not a valid host name: "${'a'.repeat(64)}.example"`],
    [42, 'host must be a string, a Uint8Array of 4 or 16 bytes, or true; given 42'],
    [{}, 'host must be a string, a Uint8Array of 4 or 16 bytes, or true; given [object Object]'],
    [[127, 0, 0, 1], 'host must be a string, a Uint8Array of 4 or 16 bytes, or true; given Array(4)'],
    [new Uint16Array(2), 'host must be a string, a Uint8Array of 4 or 16 bytes, or true; given [object Uint16Array]'],
    [Symbol('h'), 'host must be a string, a Uint8Array of 4 or 16 bytes, or true; given Symbol(h)'],
  ];
  for (const [host, message] of cases) {
    it(`rejects ${typeof host === 'string' ? JSON.stringify(host) : String(message.split('given ')[1])}`, () => {
      expectError(() => makeNetworkEndpoint(host as string, 69), 'ERR_ENDPOINT_HOST', `${M}: ${message}`);
    });
  }

  it('rejects host names longer than 253 characters', () => {
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(long.length).toBe(304);
    expect(caught(() => makeNetworkEndpoint(long, 1)).code).toBe('ERR_ENDPOINT_HOST');
    const ok = `${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}.a`; // 253
    expect(networkEndpointHost(makeNetworkEndpoint(ok, 1))).toBe(ok);
  });
});

describe('bad ports: ERR_ENDPOINT_PORT', () => {
  const cases: [unknown, string][] = [
    [70000, 'port must be an integer from 0 to 65535; given 70000'],
    [65536, 'port must be an integer from 0 to 65535; given 65536'],
    [-1, 'port must be an integer from 0 to 65535; given -1'],
    [1.5, 'port must be an integer from 0 to 65535; given 1.5'],
    [Number.NaN, 'port must be an integer from 0 to 65535; given NaN'],
    [Number.POSITIVE_INFINITY, 'port must be an integer from 0 to 65535; given Infinity'],
    [2 ** 32 + 69, 'port must be an integer from 0 to 65535; given 4294967365'],
    ['99999', 'port must be an integer from 0 to 65535; given "99999"'],
    ['no-such-service', 'unknown service name "no-such-service"'],
    ['', 'unknown service name ""'],
    [true, 'port must be an integer from 0 to 65535 or a service name; given true'],
    [null, 'port must be an integer from 0 to 65535 or a service name; given null'],
    [69n, 'port must be an integer from 0 to 65535 or a service name; given 69n'],
  ];
  for (const [port, message] of cases) {
    it(`rejects ${String(message.split(/given |name /)[1])}`, () => {
      expectError(() => makeNetworkEndpoint('127.0.0.1', port as number), 'ERR_ENDPOINT_PORT', `${M}: ${message}`);
    });
  }

  it('with one argument the argument is the port, and the message says so', () => {
    expectError(
      () => makeNetworkEndpoint('127.0.0.1'),
      'ERR_ENDPOINT_PORT',
      `${M}: unknown service name "127.0.0.1" (with one argument, that argument is the port)`,
    );
    expectError(
      () => makeNetworkEndpoint(70000),
      'ERR_ENDPOINT_PORT',
      `${M}: port must be an integer from 0 to 65535; given 70000`,
    );
    expectError(
      () => makeNetworkEndpoint(true as never),
      'ERR_ENDPOINT_PORT',
      `${M}: port must be an integer from 0 to 65535 or a service name; given true (with one argument, that argument is the port)`,
    );
  });

  it('port 0 is refused for a host that is not local', () => {
    expectError(
      () => makeNetworkEndpoint('192.0.2.200', 0),
      'ERR_ENDPOINT_PORT',
      `${M}: port 0 (the OS picks a port) is only valid for a local host; given host "192.0.2.200"`,
    );
    expectError(
      () => makeNetworkEndpoint('example.com', 0),
      'ERR_ENDPOINT_PORT',
      `${M}: port 0 (the OS picks a port) is only valid for a local host; given host "example.com"`,
    );
    expectError(
      () => makeNetworkEndpoint('2001:DB8::1'),
      'ERR_ENDPOINT_PORT',
      `${M}: unknown service name "2001:DB8::1" (with one argument, that argument is the port)`,
    );
    expectError(
      () => makeNetworkEndpoint('2001:DB8::1', undefined),
      'ERR_ENDPOINT_PORT',
      `${M}: unknown service name "2001:DB8::1" (with one argument, that argument is the port)`,
    );
    expect(caught(() => makeNetworkEndpoint('2001:db8::99', 0)).code).toBe('ERR_ENDPOINT_PORT');
    expect(caught(() => makeNetworkEndpoint(new Uint8Array([8, 8, 8, 8]), 0)).code).toBe('ERR_ENDPOINT_PORT');
  });
});

describe('other bad arguments: ERR_ENDPOINT_ARGUMENT', () => {
  it('too many arguments', () => {
    const make = makeNetworkEndpoint as (...args: unknown[]) => unknown;
    expectError(
      () => make('127.0.0.1', 1, 2),
      'ERR_ENDPOINT_ARGUMENT',
      `${M}: expects at most 2 arguments (host, port); given 3`,
    );
    expect(() => make('127.0.0.1', 1, undefined)).not.toThrow();
  });

  it('accessors refuse what is not an endpoint, naming themselves', () => {
    const accessors: [(v: never) => unknown, string][] = [
      [networkEndpointBytevectorAddress, 'network-endpoint-bytevector-address'],
      [networkEndpointStringAddress, 'network-endpoint-string-address'],
      [networkEndpointHost, 'network-endpoint-host'],
      [networkEndpointPort, 'network-endpoint-port'],
      [networkEndpointFamily, 'network-endpoint-family'],
      [networkEndpointKey, 'network-endpoint-key'],
    ];
    for (const [f, name] of accessors) {
      expectError(
        () => f({ host: true, port: 0 } as never),
        'ERR_ENDPOINT_ARGUMENT',
        `${name}: expected a network endpoint; given [object Object]`,
      );
      expectError(
        () => f('127.0.0.1:69' as never),
        'ERR_ENDPOINT_ARGUMENT',
        `${name}: expected a network endpoint; given "127.0.0.1:69"`,
      );
    }
    const ep = makeNetworkEndpoint(1);
    expectError(
      () => networkEndpointEqual(ep, null as never),
      'ERR_ENDPOINT_ARGUMENT',
      'network-endpoint=?: expected a network endpoint; given null',
    );
  });
});

describe('unresolved names: ERR_ENDPOINT_UNRESOLVED', () => {
  it('the address accessors say the name has not been resolved', () => {
    const ep = makeNetworkEndpoint('example.com', 69);
    for (const [f, name] of [
      [networkEndpointBytevectorAddress, 'network-endpoint-bytevector-address'],
      [networkEndpointStringAddress, 'network-endpoint-string-address'],
    ] as const) {
      const e = caught(() => f(ep));
      expect(e.code).toBe('ERR_ENDPOINT_UNRESOLVED');
      expect(e.message).toBe(
        `${name}: the host name "example.com" has not been resolved to an address; resolve it first with resolveNetworkEndpoint`,
      );
      expect(e.hostname).toBe('example.com');
    }
    expect(networkEndpointHost(ep)).toBe('example.com');
  });
});

describe('the error class', () => {
  it('has name, code, procedure, and is an Error', () => {
    const e = caught(() => makeNetworkEndpoint('127.0.0.1', -1));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('NetworkEndpointError');
    expect(e.procedure).toBe('make-network-endpoint');
    expect(isNetworkEndpointError(e)).toBe(true);
    expect(String(e)).toBe(
      'NetworkEndpointError: make-network-endpoint: port must be an integer from 0 to 65535; given -1',
    );
  });

  it('keeps its cause', () => {
    const cause = new Error('inner');
    const e = new NetworkEndpointError('ERR_ENDPOINT_RESOLVE', 'x', 'y', { cause, resolverCode: 'EAI_AGAIN' });
    expect(e.cause).toBe(cause);
    expect(e.resolverCode).toBe('EAI_AGAIN');
    expect(e.message).toBe('x: y');
    expect('cause' in new NetworkEndpointError('ERR_ENDPOINT_HOST', 'x', 'y')).toBe(false);
  });

  it('instance checks recognise errors from another copy of the package (Symbol.for marker)', () => {
    // What a second copy's error looks like: another class, the same registered symbol.
    class OtherCopyError extends Error {}
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('@udpkit/endpoint.NetworkEndpointError'), {
      value: true,
    });
    const foreign = new OtherCopyError('m');
    expect(foreign instanceof NetworkEndpointError).toBe(true);
    expect(isNetworkEndpointError(foreign)).toBe(true);
    expect(new Error('x') instanceof NetworkEndpointError).toBe(false);
    expect(isNetworkEndpointError({ code: 'ERR_ENDPOINT_HOST' })).toBe(false);
    expect(isNetworkEndpointError(null)).toBe(false);
  });
});
