// Host name syntax (RFC 1123 §2.1 on RFC 952): labels of letters, digits and hyphens, 1–63
// characters, not starting or ending with a hyphen; at most 253 characters (one trailing dot
// allowed for a fully qualified name). Underscores are accepted too (they occur in real DNS names
// and getaddrinfo takes them). RFC 1123 §2.1 also says the top-level label is alphabetic: a name
// whose last label is all digits (`1.2.3.4.5`, `127.1`) is refused, so nothing that looks like a
// malformed address is ever passed to the resolver. Non-ASCII names must be converted first
// (`url.domainToASCII`, RFC 5891 A-labels).

export function isHostName(s: string): boolean {
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === 46) end--; // trailing dot
  if (end === 0 || end > 253) return false;
  let labelStart = 0;
  let allDigits = true;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? 46 : s.charCodeAt(i);
    if (c === 46 /* . */) {
      const length = i - labelStart;
      if (length === 0 || length > 63) return false;
      if (s.charCodeAt(labelStart) === 45 || s.charCodeAt(i - 1) === 45) return false;
      if (i === end && allDigits) return false;
      labelStart = i + 1;
      allDigits = true;
      continue;
    }
    if (c >= 48 && c <= 57) continue;
    allDigits = false;
    const l = c | 0x20;
    if ((l >= 97 && l <= 122) || c === 45 || c === 95) continue;
    return false;
  }
  return true;
}

/** Names under `.invalid` never resolve (RFC 6761 §6.4). */
export function isInvalidName(name: string): boolean {
  const n = stripDot(name).toLowerCase();
  return n === 'invalid' || n.endsWith('.invalid');
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
