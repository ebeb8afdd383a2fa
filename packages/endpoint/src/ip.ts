// IP address text and bytes, without regular expressions and without allocating on the
// validation path (one linear scan per string).
//   IPv4 text: strict dotted decimal, four decimal octets 0–255 without leading zeros
//     (RFC 6943 §3.1.1; `inet_aton` forms such as `127.1` or `0x7f.0.0.1` are refused).
//   IPv6 text: RFC 4291 §2.2 (hex groups, one `::`, an optional dotted-quad tail), plus an
//     optional zone id `%zone` (RFC 4007 §11).
//   Canonical IPv6 text: RFC 5952 (lower case, no leading zeros, the longest run of two or more
//     zero groups — the first one on a tie — written `::`, mixed notation for IPv4-mapped
//     `::ffff:0:0/96` addresses, §5).

const ZERO = 48;
const NINE = 57;
const COLON = 58;
const DOT = 46;

/** True when s[start, end) is strict dotted-decimal IPv4 (one pass, no allocation). */
export function isIPv4Text(s: string, start: number, end: number): boolean {
  if (end - start < 7 || end - start > 15) return false;
  let dots = 0;
  let digits = 0;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return false;
      dots++;
      digits = 0;
      value = 0;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return false;
    if (digits > 0 && value === 0) return false; // a leading zero
    value = value * 10 + d;
    if (value > 255) return false;
    digits++;
  }
  return dots === 3 && digits > 0;
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  const l = c | 0x20; // ASCII lower case
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Index of the `%` that starts a zone id, or `s.length` when there is none. */
export function zoneStart(s: string): number {
  const p = s.indexOf('%');
  return p < 0 ? s.length : p;
}

/** A zone id (RFC 4007 §11.2: implementation-defined): 1–64 of [A-Za-z0-9._~-]. */
function isZoneText(s: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 64) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= ZERO && c <= NINE) ||
      ((c | 0x20) >= 97 && (c | 0x20) <= 122) ||
      c === DOT ||
      c === 45 /* - */ ||
      c === 95 /* _ */ ||
      c === 126; /* ~ */
    if (!ok) return false;
  }
  return true;
}

/** True when s is RFC 4291 §2.2 IPv6 text, optionally followed by `%zone`. */
export function isIPv6Text(s: string): boolean {
  const length = s.length;
  if (length < 2) return false;
  const end = zoneStart(s);
  if (end < length && !isZoneText(s, end + 1, length)) return false;
  if (end > 45) return false; // longest form: 6 full groups + a dotted quad
  let i = 0;
  let groups = 0;
  let compressed = false;
  if (s.charCodeAt(0) === COLON) {
    if (s.charCodeAt(1) !== COLON) return false;
    compressed = true;
    i = 2;
    if (i === end) return true; // "::"
  }
  for (;;) {
    const first = i;
    while (i < end && hexValue(s.charCodeAt(i)) >= 0) i++;
    if (i < end && s.charCodeAt(i) === DOT) {
      // Dotted-quad tail: the last 32 bits (RFC 4291 §2.2, form 3).
      if (!isIPv4Text(s, first, end)) return false;
      groups += 2;
      break;
    }
    const digits = i - first;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === end) break;
    if (s.charCodeAt(i) !== COLON || groups >= 8) return false;
    i++;
    if (i < end && s.charCodeAt(i) === COLON) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** 0 when s is not an IP address, else 4 or 6. */
export function ipFamilyOf(s: string): 0 | 4 | 6 {
  if (s.indexOf(':') >= 0) return isIPv6Text(s) ? 6 : 0;
  return isIPv4Text(s, 0, s.length) ? 4 : 0;
}

// The last few address strings found valid, with their family. An endpoint is made for every
// received datagram from the address text node:dgram reports, usually from the same few peers;
// comparing with a remembered string costs far less than scanning it again. A pure memo: it changes
// no result, and holds at most SLOTS short strings.
const SLOTS = 4;
const seenText: string[] = ['', '', '', ''];
const seenFamily: (0 | 4 | 6)[] = [0, 0, 0, 0];
let seenNext = 0;

/** ipFamilyOf, remembering the last few valid addresses. */
export function ipFamilyOfCached(s: string): 0 | 4 | 6 {
  for (let k = 0; k < SLOTS; k++) if (seenText[k] === s) return seenFamily[k]!;
  const family = ipFamilyOf(s);
  if (family !== 0) {
    seenText[seenNext] = s;
    seenFamily[seenNext] = family;
    seenNext = (seenNext + 1) % SLOTS;
  }
  return family;
}

/** Writes the 4 bytes of valid IPv4 text s[start, end) into out at offset. */
function writeIPv4(s: string, start: number, end: number, out: Uint8Array, offset: number): void {
  let value = 0;
  let k = offset;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      out[k++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - ZERO);
    }
  }
  out[k] = value;
}

/** The bytes of valid IPv4 text. */
export function ipv4Bytes(s: string): Uint8Array {
  const out = new Uint8Array(4);
  writeIPv4(s, 0, s.length, out, 0);
  return out;
}

/** The 16 bytes of valid IPv6 text (its zone id, if any, is not part of the bytes). */
export function ipv6Bytes(s: string): Uint8Array {
  const end = zoneStart(s);
  const out = new Uint8Array(16);
  // Parse the groups before and after "::" separately, then place them.
  const head: number[] = [];
  const tail: number[] = [];
  let current = head;
  let i = 0;
  let v4 = -1; // start of a dotted-quad tail
  if (s.charCodeAt(0) === COLON && s.charCodeAt(1) === COLON) {
    current = tail;
    i = 2;
  }
  while (i < end) {
    const first = i;
    let value = 0;
    while (i < end) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = (value << 4) | h;
      i++;
    }
    if (i < end && s.charCodeAt(i) === DOT) {
      v4 = first;
      break;
    }
    current.push(value);
    if (i < end) {
      i++; // ':'
      if (i < end && s.charCodeAt(i) === COLON) {
        current = tail;
        i++;
      }
    }
  }
  let k = 0;
  for (const g of head) {
    out[k++] = g >> 8;
    out[k++] = g & 0xff;
  }
  const tailBytes = tail.length * 2 + (v4 >= 0 ? 4 : 0);
  k = 16 - tailBytes;
  for (const g of tail) {
    out[k++] = g >> 8;
    out[k++] = g & 0xff;
  }
  if (v4 >= 0) writeIPv4(s, v4, end, out, k);
  return out;
}

/** Dotted-decimal text of 4 bytes at offset. */
export function formatIPv4(b: Uint8Array, offset = 0): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

/** True for an IPv4-mapped IPv6 address, ::ffff:0:0/96 (RFC 4291 §2.5.5.2). */
export function isMappedIPv4(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** RFC 5952 text of 16 bytes, with `%zone` appended when given. */
export function formatIPv6(b: Uint8Array, zone?: string): string {
  const suffix = zone === undefined ? '' : `%${zone}`;
  if (isMappedIPv4(b)) return `::ffff:${formatIPv4(b, 12)}${suffix}`; // RFC 5952 §5
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  // The longest run of zero words, at least two long, the first on a tie (RFC 5952 §4.2).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text.length > 0 && !text.endsWith(':')) text += ':';
    text += words[i]!.toString(16);
  }
  return text + suffix;
}

/** The zone id of IPv6 text, or undefined. */
export function zoneOf(s: string): string | undefined {
  const p = s.indexOf('%');
  return p < 0 ? undefined : s.slice(p + 1);
}

/** Canonical text of valid IP text of the given family. */
export function canonicalIP(s: string, family: 4 | 6): string {
  if (family === 4) return s; // strict dotted decimal is already canonical
  return formatIPv6(ipv6Bytes(s), zoneOf(s));
}

/** Bytes of valid IP text of the given family (a fresh array). */
export function ipBytes(s: string, family: 4 | 6): Uint8Array {
  return family === 4 ? ipv4Bytes(s) : ipv6Bytes(s);
}

/** Text of 4 or 16 bytes. */
export function formatIP(b: Uint8Array): string {
  return b.length === 4 ? formatIPv4(b) : formatIPv6(b);
}
