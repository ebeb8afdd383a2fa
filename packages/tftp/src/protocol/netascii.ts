// netascii (RFC 1350 §"Modes", RFC 764 NVT ASCII): lines end with CR LF on the wire and a lone CR
// is sent as CR NUL. Local text uses Unix semantics: LF → CR LF, CR → CR NUL (a local CR LF thus
// becomes CR NUL CR LF and decodes back to CR LF). Both directions stream across any chunking.

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** Local → wire. Stateless per byte, but kept as a class so both directions look alike. */
export class NetasciiEncoder {
  /** Wire bytes for `chunk` (a new array; at most twice as long). */
  push(chunk: Uint8Array): Uint8Array {
    let extra = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === LF || c === CR) extra++;
    }
    if (extra === 0) return chunk.slice();
    const out = new Uint8Array(chunk.length + extra);
    let j = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === LF) {
        out[j++] = CR;
        out[j++] = LF;
      } else if (c === CR) {
        out[j++] = CR;
        out[j++] = NUL;
      } else out[j++] = c;
    }
    return out;
  }

  /** Nothing is ever held back when encoding. */
  end(): Uint8Array {
    return new Uint8Array(0);
  }
}

/** Wire → local. A CR at the end of a chunk is held until the next byte (or `end`) decides. */
export class NetasciiDecoder {
  #pendingCr = false;

  /** Local bytes for `chunk` (a new array). */
  push(chunk: Uint8Array): Uint8Array {
    const out = new Uint8Array(chunk.length + 1);
    let j = 0;
    let pending = this.#pendingCr;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (pending) {
        pending = false;
        if (c === LF) {
          out[j++] = LF; // CR LF → LF
          continue;
        }
        out[j++] = CR; // CR NUL → CR; a stray CR before anything else is kept as is
        if (c === NUL) continue;
      }
      if (c === CR) pending = true;
      else out[j++] = c;
    }
    this.#pendingCr = pending;
    return out.subarray(0, j);
  }

  /** Flushes a CR left at the very end of the stream. */
  end(): Uint8Array {
    const pending = this.#pendingCr;
    this.#pendingCr = false;
    return pending ? Uint8Array.of(CR) : new Uint8Array(0);
  }
}

/** One-shot conversions. */
export function netasciiEncode(bytes: Uint8Array): Uint8Array {
  return new NetasciiEncoder().push(bytes);
}

export function netasciiDecode(bytes: Uint8Array): Uint8Array {
  const d = new NetasciiDecoder();
  const a = d.push(bytes);
  const b = d.end();
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Wire length of `bytes` in netascii (to state a WRQ tsize, or to know a size up front). */
export function netasciiEncodedLength(bytes: Uint8Array): number {
  let n = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === LF || c === CR) n++;
  }
  return n;
}
