import { describe, expect, it } from 'vitest';
import {
  Exn,
  ExnBreak,
  ExnFail,
  ExnFailContract,
  ExnFailContractArity,
  ExnFailNetwork,
  ExnFailNetworkErrno,
  isExn,
  isExnBreak,
  isExnFail,
  isExnFailContract,
  isExnFailContractArity,
  isExnFailNetwork,
  isExnFailNetworkErrno,
} from '../src/index.js';

describe('exception tree', () => {
  it('follows Racket: classes extend their parents and Error', () => {
    const arity = new ExnFailContractArity('x');
    expect(arity).toBeInstanceOf(Error);
    expect(arity).toBeInstanceOf(Exn);
    expect(arity).toBeInstanceOf(ExnFail);
    expect(arity).toBeInstanceOf(ExnFailContract);
    expect(arity).not.toBeInstanceOf(ExnFailNetwork);
    const errno = new ExnFailNetworkErrno('y', [98, 'posix']);
    expect(errno).toBeInstanceOf(ExnFailNetwork);
    expect(errno.errno).toEqual([98, 'posix']);
    expect(Object.isFrozen(errno.errno)).toBe(true);
    expect(errno.code).toBe('EXN_FAIL_NETWORK_ERRNO');
    expect(errno.kind).toBe('exn:fail:network:errno');
    expect(errno.name).toBe('ExnFailNetworkErrno');
    const brk = new ExnBreak();
    expect(brk.message).toBe('user break');
    expect(isExnFail(brk)).toBe(false);
    expect(brk).not.toBeInstanceOf(ExnFail);
    expect(isExnBreak(brk)).toBe(true);
    expect(isExn(brk)).toBe(true);
  });

  it('predicates', () => {
    const c = new ExnFailContract('c');
    expect([isExn(c), isExnFail(c), isExnFailContract(c), isExnFailContractArity(c), isExnFailNetwork(c)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    const n = new ExnFailNetwork('n');
    expect([isExnFailNetwork(n), isExnFailNetworkErrno(n), isExnFailContract(n)]).toEqual([true, false, false]);
    expect(isExn(new Error('plain'))).toBe(false);
    expect(isExn(null)).toBe(false);
    expect(isExn('exn')).toBe(false);
  });

  it('survives two copies of the package (Symbol.for marker)', () => {
    // What another copy's ExnFailNetworkErrno looks like to this copy: a different class with the same marker.
    const foreign = Object.assign(new Error('other copy'), {});
    Object.defineProperty(foreign, Symbol.for('@udpkit/udp-racket.exn'), { value: 'exn:fail:network:errno' });
    expect(isExnFailNetworkErrno(foreign)).toBe(true);
    expect(isExnFailNetwork(foreign)).toBe(true);
    expect(isExnFailContract(foreign)).toBe(false);
    expect(foreign).toBeInstanceOf(ExnFailNetwork);
    expect(foreign).not.toBeInstanceOf(ExnBreak);
  });
});
