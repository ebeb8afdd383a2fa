// Arity first, then each argument's contract in order, then ranges — all before any I/O.
// Texts are racket 8.7's (checked with `racket -e`).
import { afterEach, describe, expect, it } from 'vitest';
import * as U from '../src/index.js';
import { ExnFailContract, ExnFailContractArity, racket, type Udp } from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;

async function caught(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no exception');
}

const arity = (who: string, given: number, expected?: number | string) =>
  `${who}: arity mismatch;\n the expected number of arguments does not match the given number${
    expected === undefined ? '' : `\n  expected: ${expected}`
  }\n  given: ${given}`;
const violation = (who: string, expected: string, given: string) =>
  `${who}: contract violation\n  expected: ${expected}\n  given: ${given}`;

const open: Udp[] = [];
afterEach(() => {
  for (const u of open.splice(0)) u[Symbol.dispose]();
});
async function sock(): Promise<Udp> {
  const u = await U.udpOpenSocket();
  open.push(u);
  return u;
}

// [racket name, min, max]
const ARITIES: Array<[string, number, number]> = [
  ['udp-open-socket', 0, 2],
  ['udp-bind!', 3, 4],
  ['udp-connect!', 3, 3],
  ['udp-send-to', 4, 6],
  ['udp-send', 2, 4],
  ['udp-send-to*', 4, 6],
  ['udp-send*', 2, 4],
  ['udp-send-to/enable-break', 4, 6],
  ['udp-send/enable-break', 2, 4],
  ['udp-receive!', 2, 4],
  ['udp-receive!*', 2, 4],
  ['udp-receive!/enable-break', 2, 4],
  ['udp-set-receive-buffer-size!', 2, 2],
  ['udp-close', 1, 1],
  ['udp?', 1, 1],
  ['udp-bound?', 1, 1],
  ['udp-connected?', 1, 1],
  ['udp-send-ready-evt', 1, 1],
  ['udp-receive-ready-evt', 1, 1],
  ['udp-send-to-evt', 4, 6],
  ['udp-send-evt', 2, 4],
  ['udp-receive!-evt', 2, 4],
  ['udp-addresses', 1, 2],
  ['udp-set-ttl!', 2, 2],
  ['udp-ttl', 1, 1],
  ['udp-multicast-join-group!', 3, 3],
  ['udp-multicast-leave-group!', 3, 3],
  ['udp-multicast-interface', 1, 1],
  ['udp-multicast-set-interface!', 2, 2],
  ['udp-multicast-set-loopback!', 2, 2],
  ['udp-multicast-loopback?', 1, 1],
  ['udp-multicast-set-ttl!', 2, 2],
  ['udp-multicast-ttl', 1, 1],
];

describe('arity', () => {
  it.each(ARITIES)('%s takes %i to %i arguments', async (name, min, max) => {
    const f = (racket as Record<string, Fn>)[name]!;
    const expected = min === max ? min : undefined;
    const args = (n: number) => Array.from({ length: n }, () => 'x');
    if (min > 0) {
      const e = await caught(() => f(...args(min - 1)));
      expect(e).toBeInstanceOf(ExnFailContractArity);
      expect(e.message).toBe(arity(name, min - 1, expected));
    }
    const e2 = await caught(() => f(...args(max + 1)));
    expect(e2).toBeInstanceOf(ExnFailContractArity);
    expect(e2.message).toBe(arity(name, max + 1, expected));
  });

  it('checks arity before the contracts (udp-bind! with one bad argument)', async () => {
    expect((await caught(() => (U.udpBind as Fn)('x'))).message).toBe(arity('udp-bind!', 1));
  });

  it('does not count trailing undefineds', async () => {
    const u = await sock();
    expect((await caught(() => (U.udpClose as Fn)(undefined))).message).toBe(arity('udp-close', 0, 1));
    expect(U.udpAddresses(u, undefined)).toEqual(['0.0.0.0', '0.0.0.0']);
    expect((await caught(() => (U.udpClose as Fn)(u, 1, undefined))).message).toBe(arity('udp-close', 2, 1));
  });

  it('does not count the { signal } of the EnableBreak procedures', async () => {
    const e = await caught(() => (U.udpReceiveEnableBreak as Fn)(5, { signal: new AbortController().signal }));
    expect(e.message).toBe(arity('udp-receive!/enable-break', 1));
  });

  it('sync/timeout needs at least its timeout', async () => {
    const e = await caught(() => (U.syncTimeout as Fn)());
    expect(e.message).toBe(arity('sync/timeout', 0, 'at least 1'));
  });
});

describe('contracts, in argument order', () => {
  it('every procedure checks udp? first', async () => {
    for (const [name, min] of ARITIES) {
      if (name === 'udp-open-socket' || name === 'udp?') continue;
      const f = (racket as Record<string, Fn>)[name]!;
      const args = [5, ...Array.from({ length: min - 1 }, () => Symbol('junk'))];
      const e = await caught(() => f(...args));
      expect(e, name).toBeInstanceOf(ExnFailContract);
      expect(e.message, name).toBe(violation(name, 'udp?', '5'));
    }
  });

  it('udp-open-socket', async () => {
    expect((await caught(() => (U.udpOpenSocket as Fn)(1))).message).toBe(
      violation('udp-open-socket', '(or/c string? #f)', '1'),
    );
    expect((await caught(() => (U.udpOpenSocket as Fn)('a', 0))).message).toBe(
      violation('udp-open-socket', '(or/c port-number? #f)', '0'),
    );
  });

  it('udp-bind! and udp-connect!', async () => {
    const u = await sock();
    expect((await caught(() => (U.udpBind as Fn)(u, 5, 0))).message).toBe(
      violation('udp-bind!', '(or/c string? #f)', '5'),
    );
    expect((await caught(() => (U.udpBind as Fn)(u, 'x', 70000))).message).toBe(
      violation('udp-bind!', 'listen-port-number?', '70000'),
    );
    expect((await caught(() => (U.udpConnect as Fn)(u, 'x', 0))).message).toBe(
      violation('udp-connect!', '(or/c port-number? #f)', '0'),
    );
    const e = await caught(() => U.udpConnect(u, '127.0.0.1', false));
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toBe(
      'udp-connect!: last second and third arguments must be both #f or both non-#f\n  second argument: "127.0.0.1"\n  third argument: #f',
    );
    expect((await caught(() => U.udpConnect(u, null, 5))).message).toBe(
      'udp-connect!: last second and third arguments must be both #f or both non-#f\n  second argument: #f\n  third argument: 5',
    );
  });

  it('the send-to family: string?, port-number?, bytes?, indices, then range', async () => {
    const u = await sock();
    for (const name of ['udp-send-to', 'udp-send-to*', 'udp-send-to/enable-break', 'udp-send-to-evt']) {
      const f = (racket as Record<string, Fn>)[name]!;
      expect((await caught(() => f(u, Symbol('x'), 10, Buffer.from('a')))).message).toBe(
        violation(name, 'string?', "'x"),
      );
      expect((await caught(() => f(u, 'x', 0, Buffer.from('a')))).message).toBe(violation(name, 'port-number?', '0'));
      expect((await caught(() => f(u, 'x', 10, 'hello'))).message).toBe(violation(name, 'bytes?', '"hello"'));
      expect((await caught(() => f(u, 'x', 10, Buffer.from(''), -1))).message).toBe(
        violation(name, 'exact-nonnegative-integer?', '-1'),
      );
      // the end's type is checked before the start's range
      expect((await caught(() => f(u, 'x', 10, Buffer.from(''), 3, 1.5))).message).toBe(
        violation(name, 'exact-nonnegative-integer?', '1.5'),
      );
      expect((await caught(() => f(u, 'x', 10, Buffer.from('hello'), 10))).message).toBe(
        `${name}: starting index is out of range\n  starting index: 10\n  valid range: [0, 5]\n  byte string: #"hello"`,
      );
      expect((await caught(() => f(u, 'x', 10, Buffer.from('hello'), 1, 11))).message).toBe(
        `${name}: ending index is out of range\n  ending index: 11\n  valid range: [1, 5]\n  byte string: #"hello"`,
      );
      expect((await caught(() => f(u, 'x', 10, Buffer.from('hello'), 3, 2))).message).toBe(
        `${name}: ending index is out of range\n  ending index: 2\n  valid range: [3, 5]\n  byte string: #"hello"`,
      );
      expect((await caught(() => f(u, 'x', 10, new Uint8Array(0), 0, 1))).message).toBe(
        `${name}: ending index is out of range\n  ending index: 1\n  valid range: [0, 0]\n  byte string: #""`,
      );
    }
  });

  it('the send and receive families: bytes?, indices, range', async () => {
    const u = await sock();
    for (const name of [
      'udp-send',
      'udp-send*',
      'udp-send/enable-break',
      'udp-send-evt',
      'udp-receive!',
      'udp-receive!*',
      'udp-receive!/enable-break',
      'udp-receive!-evt',
    ]) {
      const f = (racket as Record<string, Fn>)[name]!;
      expect((await caught(() => f(u, 'x'))).message).toBe(violation(name, 'bytes?', '"x"'));
      expect((await caught(() => f(u, new Uint8Array(5), 0.5))).message).toBe(
        violation(name, 'exact-nonnegative-integer?', '0.5'),
      );
      expect((await caught(() => f(u, new Uint8Array(5), 0, 10))).message).toBe(
        `${name}: ending index is out of range\n  ending index: 10\n  valid range: [0, 5]\n  byte string: #"\\0\\0\\0\\0\\0"`,
      );
    }
  });

  it('option setters', async () => {
    const u = await sock();
    expect((await caught(() => U.udpSetTtl(u, 256))).message).toBe(violation('udp-set-ttl!', 'byte?', '256'));
    expect((await caught(() => U.udpMulticastSetTtl(u, -1))).message).toBe(
      violation('udp-multicast-set-ttl!', 'byte?', '-1'),
    );
    expect((await caught(() => U.udpSetReceiveBufferSize(u, 0))).message).toBe(
      violation('udp-set-receive-buffer-size!', 'exact-positive-integer?', '0'),
    );
    expect((await caught(() => (U.udpMulticastJoinGroup as Fn)(u, 5, false))).message).toBe(
      violation('udp-multicast-join-group!', 'string?', '5'),
    );
    expect((await caught(() => (U.udpMulticastLeaveGroup as Fn)(u, '224.0.0.1', 5))).message).toBe(
      violation('udp-multicast-leave-group!', '(or/c string? #f)', '5'),
    );
    expect((await caught(() => (U.udpMulticastSetInterface as Fn)(u, 5))).message).toBe(
      violation('udp-multicast-set-interface!', '(or/c string? #f)', '5'),
    );
  });

  it('evt combinators', async () => {
    expect((await caught(() => U.sync(5 as never))).message).toBe(violation('sync', 'evt?', '5'));
    expect((await caught(() => U.syncTimeout(-1, U.alwaysEvt))).message).toBe(
      violation('sync/timeout', '(or/c #f (and/c real? (not/c negative?)) (-> any))', '-1'),
    );
    expect((await caught(() => U.syncTimeout(0, 5 as never))).message).toBe(violation('sync/timeout', 'evt?', '5'));
    expect((await caught(() => U.syncEnableBreak(5 as never))).message).toBe(
      violation('sync/enable-break', 'evt?', '5'),
    );
    expect((await caught(() => U.wrapEvt(5 as never, () => 1))).message).toBe(violation('wrap-evt', 'evt?', '5'));
    expect((await caught(() => U.wrapEvt(U.alwaysEvt, 5 as never))).message).toBe(
      violation('wrap-evt', 'procedure?', '5'),
    );
    expect((await caught(() => U.handleEvt(U.alwaysEvt, 5 as never))).message).toBe(
      violation('handle-evt', 'procedure?', '5'),
    );
    expect((await caught(() => U.choiceEvt(5 as never))).message).toBe(violation('choice-evt', 'evt?', '5'));
  });

  it('synchronous procedures throw, blocking ones reject', async () => {
    expect(() => (U.udpClose as Fn)()).toThrow(ExnFailContractArity);
    expect(() => U.udpReceiveStar(5 as never, new Uint8Array(1))).toThrow(ExnFailContract);
    const p = (U.udpReceive as Fn)(5, new Uint8Array(1));
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(ExnFailContract);
    const q = (U.udpBind as Fn)('x');
    expect(q).toBeInstanceOf(Promise);
    await expect(q).rejects.toThrow(ExnFailContractArity);
  });
});
