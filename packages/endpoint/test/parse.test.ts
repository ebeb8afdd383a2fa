import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  makeNetworkEndpoint,
  NetworkEndpointError,
  networkEndpointHost,
  networkEndpointPort,
  parseNetworkEndpoint as parse,
} from '../src/index.js';

function hostPort(text: string, defaultPort?: number | string): [string | true, number] {
  const ep = defaultPort === undefined ? parse(text) : parse(text, { defaultPort });
  return [networkEndpointHost(ep), networkEndpointPort(ep)];
}

function parseError(text: unknown): NetworkEndpointError {
  try {
    parse(text as string);
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkEndpointError);
    return e as NetworkEndpointError;
  }
  throw new Error(`parsed ${String(text)}`);
}

describe('parseNetworkEndpoint', () => {
  it('reads HOST:PORT, [IPV6]:PORT, service names and zones', () => {
    expect(hostPort('127.0.0.1:69')).toEqual(['127.0.0.1', 69]);
    expect(hostPort('[::1]:69')).toEqual(['::1', 69]);
    expect(hostPort('[fe80::1%lo]:69')).toEqual(['fe80::1%lo', 69]);
    expect(hostPort('[::ffff:127.0.0.1]:6969')).toEqual(['::ffff:127.0.0.1', 6969]);
    expect(hostPort('example.com:tftp')).toEqual(['example.com', 69]);
    expect(hostPort('localhost:65535')).toEqual(['localhost', 65535]);
  });

  it('reads *:PORT and :PORT as any local address', () => {
    expect(hostPort('*:69')).toEqual([true, 69]);
    expect(hostPort(':69')).toEqual([true, 69]);
    expect(hostPort('*')).toEqual([true, 0]);
  });

  it('a missing port is defaultPort, 0 by default (valid only for local hosts)', () => {
    expect(hostPort('localhost')).toEqual(['localhost', 0]);
    expect(hostPort('127.0.0.1')).toEqual(['127.0.0.1', 0]);
    expect(hostPort('::1')).toEqual(['::1', 0]);
    expect(hostPort('[::1]')).toEqual(['::1', 0]);
    expect(hostPort('example.com', 'tftp')).toEqual(['example.com', 69]);
    expect(hostPort('2001:db8::1', 69)).toEqual(['2001:db8::1', 69]);
    expect(hostPort('example.com:7', 69)).toEqual(['example.com', 7]);
    const e = parseError('example.com');
    expect(e.code).toBe('ERR_ENDPOINT_PORT');
    expect(e.message).toBe(
      'parse-network-endpoint: port 0 (the OS picks a port) is only valid for a local host; given host "example.com"',
    );
  });

  it('reports syntax errors with ERR_ENDPOINT_PARSE', () => {
    const cases: [string, string][] = [
      ['[::1', 'missing "]": "[::1"'],
      ['[::1]69', 'expected ":" and a port after "]": "[::1]69"'],
      ['[127.0.0.1]:69', 'only an IPv6 address may be written in brackets: "[127.0.0.1]:69"'],
      ['host:', 'missing port after ":": "host:"'],
      ['[::1]:', 'missing port after ":": "[::1]:"'],
      ['', 'missing host: ""'],
    ];
    for (const [text, message] of cases) {
      const e = parseError(text);
      expect(e.code, text).toBe('ERR_ENDPOINT_PARSE');
      expect(e.message).toBe(`parse-network-endpoint: ${message}`);
    }
  });

  it('reports bad hosts and ports with their own codes', () => {
    expect(parseError('1.2.3.4.5:69').code).toBe('ERR_ENDPOINT_HOST');
    expect(parseError('1.2.3.4.5:69').message).toBe('parse-network-endpoint: not a valid IPv4 address: "1.2.3.4.5"');
    expect(parseError('[1:2:3]:69').code).toBe('ERR_ENDPOINT_HOST');
    expect(parseError('127.0.0.1:70000').code).toBe('ERR_ENDPOINT_PORT');
    expect(parseError('127.0.0.1:nosuch').message).toBe('parse-network-endpoint: unknown service name "nosuch"');
    expect(parseError(42).code).toBe('ERR_ENDPOINT_ARGUMENT');
  });
});

describe('toString, toJSON and inspect', () => {
  it('writes the format parse reads', () => {
    expect(String(makeNetworkEndpoint('127.0.0.1', 69))).toBe('127.0.0.1:69');
    expect(String(makeNetworkEndpoint('0:0::1', 69))).toBe('[::1]:69');
    expect(String(makeNetworkEndpoint('fe80::1%lo', 69))).toBe('[fe80::1%lo]:69');
    expect(String(makeNetworkEndpoint('::ffff:127.0.0.1', 69))).toBe('[::ffff:127.0.0.1]:69');
    expect(String(makeNetworkEndpoint('example.com', 'tftp'))).toBe('example.com:69');
    expect(String(makeNetworkEndpoint())).toBe('*:0');
    expect(`${makeNetworkEndpoint(new Uint8Array([10, 0, 0, 1]), 1)}`).toBe('10.0.0.1:1');
    expect(JSON.stringify({ peer: makeNetworkEndpoint('::1', 69) })).toBe('{"peer":"[::1]:69"}');
  });

  it('inspects readably', () => {
    expect(inspect(makeNetworkEndpoint('::1', 69))).toBe('NetworkEndpoint <[::1]:69>');
  });
});
