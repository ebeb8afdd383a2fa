// A small `write` for the transcripts: JS values printed the way Racket's `write` prints the
// values they stand for (see DESIGN.md, "Mapping Scheme/Racket names and values").

const stringEscapes: Record<number, string> = {
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

/** Characters Racket writes as `\uXXXX`: control, format, unassigned, line/paragraph separators. */
const nonGraphic = /^[\p{C}\p{Zl}\p{Zp}]$/u;

/** Racket's `write` of a string. */
export function writeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const named = stringEscapes[c];
    if (named !== undefined) out += named;
    else if (nonGraphic.test(ch)) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const bytesEscapes: Record<number, string> = { ...stringEscapes };

/** Racket's `write` of a byte string: octal escapes, 3 digits when an octal digit follows. */
export function writeBytes(b: Uint8Array): string {
  let out = '#"';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const named = bytesEscapes[c];
    if (named !== undefined) out += named;
    else if (c >= 32 && c < 127) out += String.fromCharCode(c);
    else {
      const next = b[i + 1];
      const octal = c.toString(8);
      out += `\\${next !== undefined && next >= 48 && next <= 55 ? octal.padStart(3, '0') : octal}`;
    }
  }
  return `${out}"`;
}

export interface PrintHooks {
  isUdp?: (v: unknown) => boolean;
  isEvt?: (v: unknown) => boolean;
}

/** Racket's `write` of the Racket value a JS value stands for. */
export function write(v: unknown, hooks: PrintHooks = {}): string {
  if (v === undefined) return '#<void>';
  if (v === null) return '#<null: not a Racket value>';
  if (v === true) return '#t';
  if (v === false) return '#f';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return Object.is(v, -0) ? '0' : String(v);
    if (Number.isNaN(v)) return '+nan.0';
    if (v === Number.POSITIVE_INFINITY) return '+inf.0';
    if (v === Number.NEGATIVE_INFINITY) return '-inf.0';
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return writeString(v);
  if (typeof v === 'symbol') return v.description ?? 'symbol';
  if (v instanceof Uint8Array) return writeBytes(v);
  if (Array.isArray(v)) return `(${v.map((x) => write(x, hooks)).join(' ')})`;
  if (typeof v === 'function') return '#<procedure>';
  if (hooks.isUdp?.(v)) return '#<udp>';
  if (hooks.isEvt?.(v)) return '#<evt>';
  if (typeof (v as { then?: unknown }).then === 'function') return '#<promise>';
  return `#<object ${Object.prototype.toString.call(v)}>`;
}
