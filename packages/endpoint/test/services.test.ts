import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupServicePort, makeNetworkEndpoint, networkEndpointPort } from '../src/index.js';

describe('service names', () => {
  it('common names, case-insensitively', () => {
    expect(lookupServicePort('tftp')).toBe(69);
    expect(lookupServicePort('TFTP')).toBe(69);
    expect(lookupServicePort('domain')).toBe(53);
    expect(lookupServicePort('ntp')).toBe(123);
    expect(lookupServicePort('http')).toBe(80);
    expect(lookupServicePort('https')).toBe(443);
  });

  it('names only the built-in IANA table knows', () => {
    expect(lookupServicePort('coap')).toBe(5683);
    expect(lookupServicePort('llmnr')).toBe(5355);
    expect(lookupServicePort('stun')).toBe(3478);
  });

  it.runIf(existsSync('/etc/services'))('names and aliases from /etc/services', () => {
    expect(lookupServicePort('www')).toBe(80); // an alias of http
    expect(lookupServicePort('bootps')).toBe(67);
  });

  it('decimal strings are port numbers', () => {
    expect(lookupServicePort('0')).toBe(0);
    expect(lookupServicePort('69')).toBe(69);
    expect(lookupServicePort('65535')).toBe(65535);
    expect(lookupServicePort('65536')).toBeUndefined();
  });

  it('unknown names are undefined', () => {
    expect(lookupServicePort('no-such-service')).toBeUndefined();
    expect(lookupServicePort('')).toBeUndefined();
    expect(lookupServicePort('toString')).toBeUndefined();
    expect(lookupServicePort('__proto__')).toBeUndefined();
  });

  it('make-network-endpoint resolves service names at once', () => {
    expect(networkEndpointPort(makeNetworkEndpoint('127.0.0.1', 'coap'))).toBe(5683);
  });
});
