// Racket's printer, as used in error messages: `error-value->string-handler` prints a value the
// way `print` does (quoted symbols and lists), cut at `error-print-width` = 256 characters
// (253 characters + `...`). Checked against racket 8.7 CS (`racket -e`), see test/print.test.ts.
//
// JS values map onto Racket values as DESIGN.md says: integers (and bigints) are exact integers,
// other numbers are flonums, `false`/`null` are `#f`, `undefined` is `#<void>`, a JS Symbol is a
// Racket symbol, a Uint8Array is a byte string, an Array is a list.

/** Racket's `error-print-width`. */
export const ERROR_PRINT_WIDTH = 256;

const UDP_PRINT = Symbol.for('@udpkit/udp-racket.print');

/** Objects may name how Racket would print them (`#<udp>`, `#<udp-send-ready-evt>`). */
export interface RacketPrintable {
  [UDP_PRINT]?: string;
}
export { UDP_PRINT };

/** `(error-value->string-handler)` with the default print width: print, then cut at 256 chars. */
export function errorValueToString(v: unknown): string {
  const s = racketPrint(v);
  return s.length > ERROR_PRINT_WIDTH ? `${s.slice(0, ERROR_PRINT_WIDTH - 3)}...` : s;
}

/** `print` (print-as-expression mode): quoted symbols/lists at top level. */
export function racketPrint(v: unknown): string {
  if (typeof v === 'symbol') return `'${writeSymbol(v)}`;
  if (Array.isArray(v)) {
    return v.length === 0 ? "'()" : `'(${v.map(racketWrite).join(' ')})`;
  }
  return racketWrite(v);
}

/** `write`: strings and byte strings with Racket's escapes, symbols bare. */
export function racketWrite(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return writeString(v);
    case 'number':
      return writeNumber(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '#t' : '#f';
    case 'undefined':
      return '#<void>';
    case 'symbol':
      return writeSymbol(v);
    case 'function':
      return v.name ? `#<procedure:${v.name}>` : '#<procedure>';
    default:
      break;
  }
  if (v === null) return '#f';
  if (v instanceof Uint8Array) return writeBytes(v);
  if (Array.isArray(v)) return `(${v.map(racketWrite).join(' ')})`;
  const named = (v as RacketPrintable)[UDP_PRINT];
  if (typeof named === 'string') return named;
  const ctor = (v as object).constructor;
  const cname = typeof ctor === 'function' && ctor !== Object && ctor.name ? ctor.name : 'object';
  return `#<${cname}>`;
}

// ---- numbers --------------------------------------------------------------------------------

/**
 * Exact integers print as digits; flonums the way Racket CS (Chez Scheme) prints them:
 * shortest round-trip digits, `+nan.0`, `+inf.0`, `-0.0`, a `.0` on integral values, fixed
 * notation for 1e-4 ≤ |x| and (integer digits ≤ max(14, digits + 3)), scientific otherwise
 * (`1e+21`, `1.5e-7`).
 */
export function writeNumber(x: number): string {
  if (Number.isInteger(x)) {
    // An integral JS number is Racket's exact integer (DESIGN.md "Values").
    return Object.is(x, -0) ? '0' : BigInt(x).toString();
  }
  return writeFlonum(x);
}

export function writeFlonum(x: number): string {
  if (Number.isNaN(x)) return '+nan.0';
  if (x === Number.POSITIVE_INFINITY) return '+inf.0';
  if (x === Number.NEGATIVE_INFINITY) return '-inf.0';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Math.abs(x).toExponential());
  if (!m) return String(x);
  const digits = m[1]! + (m[2] ?? '');
  const e = Number(m[3]);
  const n = digits.length;
  if (e >= 0 && e + 1 <= Math.max(14, n + 3)) {
    const s = n <= e + 1 ? `${digits}${'0'.repeat(e + 1 - n)}.0` : `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
    return sign + s;
  }
  if (e < 0 && e >= -4) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const mant = n === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mant}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

// ---- strings --------------------------------------------------------------------------------

// char-graphic? (L, M, N, P, S) or char-blank? (Zs, tab) print as themselves.
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u;

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

export function writeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\v':
        out += '\\v';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\x1b':
        out += '\\e';
        continue;
      default:
        break;
    }
    const cp = ch.codePointAt(0)!;
    if (PRINTABLE.test(ch)) out += ch;
    else out += cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

// ---- byte strings ---------------------------------------------------------------------------

const BYTE_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  27: '\\e',
  34: '\\"',
  92: '\\\\',
};

/** `#"…"`: printable ASCII as is, the usual escapes, others in octal (`\0`, `\377`); an octal
 * escape followed by an octal digit is padded to three digits (`\0001`). Only the first
 * `ERROR_PRINT_WIDTH` bytes matter for messages, so longer strings are not printed in full. */
export function writeBytes(b: Uint8Array): string {
  let out = '#"';
  const len = Math.min(b.length, ERROR_PRINT_WIDTH + 1);
  for (let i = 0; i < len; i++) {
    const c = b[i]!;
    const esc = BYTE_ESCAPES[c];
    if (esc !== undefined) out += esc;
    else if (c >= 32 && c <= 126) out += String.fromCharCode(c);
    else {
      const next = i + 1 < b.length ? b[i + 1]! : -1;
      const oct = c.toString(8);
      out += `\\${next >= 0x30 && next <= 0x37 ? oct.padStart(3, '0') : oct}`;
    }
  }
  if (len < b.length) out += '...';
  return `${out}"`;
}

// ---- symbols --------------------------------------------------------------------------------

const SYMBOL_SPECIAL = /[\s()[\]{}",'`;|\\]/u;
const NUMBER_LIKE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?\d+\/\d+|[+-](?:inf|nan)\.[0ft])$/;

export function writeSymbol(sym: symbol): string {
  const s = sym.description ?? '';
  if (s === '') return '||';
  const needsBars = SYMBOL_SPECIAL.test(s) || (s[0] === '#' && !s.startsWith('#%')) || s === '.' || NUMBER_LIKE.test(s);
  if (!needsBars) return s;
  if (!s.includes('|')) return `|${s}|`;
  // A symbol containing `|` is written with backslash escapes instead of bars.
  let out = '';
  for (const ch of s) out += SYMBOL_SPECIAL.test(ch) || ch === '#' ? `\\${ch}` : ch;
  return out;
}
