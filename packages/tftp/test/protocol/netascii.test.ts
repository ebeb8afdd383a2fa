import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NetasciiDecoder,
  NetasciiEncoder,
  netasciiDecode,
  netasciiEncode,
  netasciiEncodedLength,
} from '../../src/protocol/index.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array) => Buffer.from(u).toString('latin1');

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

function decodeChunked(wire: Uint8Array, cuts: number[]): Uint8Array {
  const d = new NetasciiDecoder();
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, wire.length]) {
    out.push(d.push(wire.subarray(prev, c)));
    prev = c;
  }
  out.push(d.end());
  return concat(out);
}

function encodeChunked(text: Uint8Array, cuts: number[]): Uint8Array {
  const e = new NetasciiEncoder();
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, text.length]) {
    out.push(e.push(text.subarray(prev, c)));
    prev = c;
  }
  out.push(e.end());
  return concat(out);
}

describe('netascii', () => {
  it('encodes LF → CR LF and CR → CR NUL (Unix semantics)', () => {
    expect(s(netasciiEncode(b('a\nb\rc\r\nd')))).toBe('a\r\nb\r\0c\r\0\r\nd');
    expect(s(netasciiEncode(b('plain')))).toBe('plain');
    expect(netasciiEncodedLength(b('a\nb\rc\r\nd'))).toBe(12);
  });

  it('decodes CR LF → LF, CR NUL → CR, keeps a stray CR and the byte after it', () => {
    expect(s(netasciiDecode(b('a\r\nb\r\0c\rxd')))).toBe('a\nb\rc\rxd');
    expect(s(netasciiDecode(b('\r\r\n')))).toBe('\r\n');
    expect(s(netasciiDecode(b('end\r')))).toBe('end\r');
  });

  it('a CR at the end of a block is held until the next block decides', () => {
    const d = new NetasciiDecoder();
    expect(s(d.push(b('line\r')))).toBe('line');
    expect(s(d.push(b('\nnext\r')))).toBe('\nnext');
    expect(s(d.push(b('\0')))).toBe('\r');
    expect(s(d.push(b('\r')))).toBe('');
    expect(s(d.end())).toBe('\r');
    expect(s(d.end())).toBe('');
  });

  it('every single cut point of a tricky stream gives the same result', () => {
    const text = b('\r\n\n\r\r\0x\r\r\n\r');
    const wire = netasciiEncode(text);
    for (let i = 0; i <= wire.length; i++) {
      expect(s(decodeChunked(wire, [i]))).toBe(s(text));
      for (let j = i; j <= wire.length; j++) expect(s(decodeChunked(wire, [i, j]))).toBe(s(text));
    }
    const raw = b('a\rb\r\r\0\r\n\r');
    const whole = s(netasciiDecode(raw));
    for (let i = 0; i <= raw.length; i++) expect(s(decodeChunked(raw, [i]))).toBe(whole);
  });

  const crlfHeavy = fc.uint8Array({ maxLength: 300 }).map((u) => u.map((x) => [10, 13, 0, 65][x % 4]!));
  const cuts = (n: number) =>
    fc.array(fc.integer({ min: 0, max: n }), { maxLength: 12 }).map((c) => c.sort((x, y) => x - y));

  it('property: decode(encode(x)) = x for any chunking on both sides', () => {
    fc.assert(
      fc.property(
        fc.oneof(crlfHeavy, fc.uint8Array({ maxLength: 300 })).chain((x) => fc.tuple(fc.constant(x), cuts(x.length))),
        fc.nat(),
        ([x, encCuts], seed) => {
          const wire = encodeChunked(x, encCuts);
          expect(wire.length).toBe(netasciiEncodedLength(x));
          const r = fc.sample(cuts(wire.length), { seed, numRuns: 1 })[0]!;
          expect(Buffer.compare(Buffer.from(decodeChunked(wire, r)), Buffer.from(x))).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: decoding arbitrary wire bytes does not depend on the chunking', () => {
    fc.assert(
      fc.property(
        crlfHeavy.chain((x) => fc.tuple(fc.constant(x), cuts(x.length))),
        ([wire, c]) => {
          expect(s(decodeChunked(wire, c))).toBe(s(netasciiDecode(wire)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
