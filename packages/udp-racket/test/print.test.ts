// Racket's printer as used in error messages; expected strings were produced by racket 8.7 CS
// with ((error-value->string-handler) v 256).
import { describe, expect, it } from 'vitest';
import { errorValueToString, racketPrint } from '../src/index.js';
import { writeFlonum } from '../src/print.js';

const p = (v: unknown) => errorValueToString(v);

describe('errorValueToString (Racket print, cut at 256)', () => {
  it('prints atoms', () => {
    expect(p(5)).toBe('5');
    expect(p(-5)).toBe('-5');
    expect(p(12345678901234567890n)).toBe('12345678901234567890');
    expect(p(true)).toBe('#t');
    expect(p(false)).toBe('#f');
    expect(p(null)).toBe('#f');
    expect(p(undefined)).toBe('#<void>');
    expect(p(Symbol('bonk'))).toBe("'bonk");
    expect(p([])).toBe("'()");
  });

  it('prints flonums as Racket CS does', () => {
    const cases: Array<[number, string]> = [
      [0.5, '0.5'],
      [0.1, '0.1'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [123456.789, '123456.789'],
      [1e20, '1e+20'],
      [-0, '-0.0'],
      [2, '2.0'],
      [1e10, '10000000000.0'],
      [Number.NaN, '+nan.0'],
      [Number.NEGATIVE_INFINITY, '-inf.0'],
      [Number.POSITIVE_INFINITY, '+inf.0'],
      [1.5e300, '1.5e+300'],
      [5e-324, '5e-324'],
      [0.001, '0.001'],
      [100.5, '100.5'],
      [1.5e15, '1.5e+15'],
      [1.2345e-5, '1.2345e-5'],
      [0.0001, '0.0001'],
      [1e-5, '1e-5'],
      [0.000123, '0.000123'],
      [1 / 3, '0.3333333333333333'],
      [-1.5e-7, '-1.5e-7'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [0.00015000000000000001, '0.00015000000000000001'],
      [123.45678901234001, '123.45678901234001'],
      [1.2345678901234568e20, '1.2345678901234568e+20'],
      [1.2345678901234e17, '1.2345678901234e+17'],
    ];
    // Integral JS numbers are exact integers (below), so ask the flonum printer directly.
    for (const [x, s] of cases) expect(writeFlonum(x), String(x)).toBe(s);
  });

  it('integral JS numbers are exact integers', () => {
    expect(p(2.0)).toBe('2');
    expect(p(1e10)).toBe('10000000000');
    expect(p(1e21)).toBe('1000000000000000000000');
    expect(p(-0)).toBe('0');
    expect(p(0.5)).toBe('0.5');
  });

  it('escapes strings like write', () => {
    expect(p('hello')).toBe('"hello"');
    expect(p('a\n\t\r"\\\x07\b\v\f\x1b\0\x7f\x80\xa0é€😀\ufeff\u200b')).toBe(
      '"a\\n\\t\\r\\"\\\\\\a\\b\\v\\f\\e\\u0000\\u007F\\u0080\xa0é€😀\\uFEFF\\u200B"',
    );
    expect(p('\x85\u2028\u2029\ue000\u{10ffff}\u{e0001}\u0378\xad\u0300\x1f\x9f')).toBe(
      '"\\u0085\\u2028\\u2029\\uE000\\U0010FFFF\\U000E0001\\u0378\\u00AD\u0300\\u001F\\u009F"',
    );
  });

  it('escapes byte strings with octal', () => {
    expect(p(Uint8Array.from([0, 1, 7, 8, 9, 10, 11, 12, 13, 27, 34, 92, 127, 128, 255, 65, 48, 49]))).toBe(
      '#"\\0\\1\\a\\b\\t\\n\\v\\f\\r\\e\\"\\\\\\177\\200\\377A01"',
    );
    expect(p(Uint8Array.from([0, 49, 1, 55, 8, 50, 200, 51, 7, 56, 0]))).toBe('#"\\0001\\0017\\b2\\3103\\a8\\0"');
    expect(p(Uint8Array.from([0, 56, 0, 57, 0, 48, 1, 0]))).toBe('#"\\08\\09\\0000\\1\\0"');
    expect(p(Buffer.from('hello'))).toBe('#"hello"');
  });

  it('cuts long values at 256 characters', () => {
    expect(p('a'.repeat(254))).toBe(`"${'a'.repeat(254)}"`);
    expect(p('a'.repeat(255))).toBe(`"${'a'.repeat(252)}...`);
    expect(p('a'.repeat(255)).length).toBe(256);
    expect(p(new Uint8Array(300))).toBe(`#"${'\\0'.repeat(125)}\\...`);
    expect(p(new Uint8Array(300).fill(65))).toBe(`#"${'A'.repeat(251)}...`);
  });

  it('writes symbols with bars where Racket needs them', () => {
    const cases: Array<[string, string]> = [
      ['hello world', "'|hello world|"],
      ['', "'||"],
      ['A', "'A"],
      ['1', "'|1|"],
      ['#foo', "'|#foo|"],
      ['a#b', "'a#b"],
      ['a.b', "'a.b"],
      ['.', "'|.|"],
      ["a'b", "'|a'b|"],
      ['a|b', "'a\\|b"],
      ['+1', "'|+1|"],
      ['-', "'-"],
      ['1a', "'1a"],
      ['#t', "'|#t|"],
      ['a;b', "'|a;b|"],
      ['a\\b', "'|a\\b|"],
      ['1e3', "'|1e3|"],
      ['+inf.0', "'|+inf.0|"],
      ['#%kernel', "'#%kernel"],
      ['...', "'..."],
    ];
    for (const [d, s] of cases) expect(p(Symbol(d)), d).toBe(s);
  });

  it('prints arrays as quoted lists and named objects', () => {
    expect(racketPrint([1, 'a', Symbol('b'), Buffer.from('c'), true])).toBe('\'(1 "a" b #"c" #t)');
    expect(racketPrint([Symbol('a'), ['b', Symbol('c')], false, undefined])).toBe('\'(a ("b" c) #f #<void>)');
    expect(racketPrint(function car() {})).toBe('#<procedure:car>');
  });
});
