// The filename policy: a pure function from the name a peer sent to a relative path inside the
// served root, or a refusal. reference/tftp.md "A safe server": bounded filename, no control
// characters, confine every path to the root (this is the lexical half; fs.ts also checks after
// resolving symlinks). Cf. `..` handling (Erlang CVE-2026-21620), prefix siblings (tftpy).
import * as nodePath from 'node:path';

export interface FilenamePolicy {
  /**
   * What a leading `/` means. `'relative'` (default, like tftp-hpa `-s`): leading slashes are
   * dropped and the name is looked up under the root, so `/boot/x` is `<root>/boot/x`.
   * `'refuse'`: absolute names are refused.
   */
  absolute?: 'relative' | 'refuse';
  /**
   * `\` is mapped to `/` by default (Windows clients send `\` separators — reference/tftp.md
   * "Firmware and peer quirks"), which also makes `..\` a `..` segment. `'literal'` keeps `\` as
   * an ordinary character (it is one on POSIX; `..\x` is then a single odd-looking name).
   */
  backslash?: 'separator' | 'literal';
  /** Longest filename accepted, in UTF-16 code units, before any mapping. Default 1024. */
  maxLength?: number;
  /** Longest single path segment in UTF-8 bytes. Default 255 (NAME_MAX on Linux). */
  maxSegmentBytes?: number;
}

export type FilenameRefusal = 'empty' | 'too-long' | 'control-character' | 'dot-dot' | 'absolute' | 'drive-letter';

export type FilenameResult =
  | {
      readonly ok: true;
      /** The segments, never empty, none of them `''`, `.` or `..`. */
      readonly segments: readonly string[];
      /** `segments.join('/')`: the name relative to the root. */
      readonly path: string;
    }
  | { readonly ok: false; readonly reason: FilenameRefusal; readonly message: string };

const refuse = (reason: FilenameRefusal, message: string): FilenameResult => ({ ok: false, reason, message });

// C0 controls (NUL included), DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A segment made only of dots and spaces (`.` itself is dropped before): `..`, and `...`, `.. `,
// `  ` which Windows would trim to `..` or to nothing.
const DOTS = /^[. ]+$/;
const DRIVE = /^[A-Za-z]:/;

/**
 * Check and normalise a requested filename. Never touches the filesystem.
 *
 * - NUL, C0/C1 control characters and DEL anywhere: refused.
 * - `\` → `/` (unless `backslash: 'literal'`).
 * - Leading `/`: dropped (default) or refused; a Windows drive prefix `C:` is always refused.
 * - Empty segments (`a//b`) and `.` segments are dropped; a `..` segment in any position is
 *   refused, even where it would stay inside (`a/../b`) — as are segments of only dots and spaces
 *   (`...`, `.. `) that Windows would trim.
 * - Percent-encoding is NOT decoded: `%2e%2e` is a literal filename (TFTP has no URL encoding).
 * - A name that is empty after this (``, `/`, `./`) is refused.
 */
export function resolveTftpFilename(filename: string, policy: FilenamePolicy = {}): FilenameResult {
  const maxLength = policy.maxLength ?? 1024;
  const maxSegmentBytes = policy.maxSegmentBytes ?? 255;
  if (typeof filename !== 'string' || filename.length === 0) return refuse('empty', 'empty filename');
  if (filename.length > maxLength) return refuse('too-long', 'filename too long');
  if (CONTROL.test(filename)) return refuse('control-character', 'control character in filename');
  let name = policy.backslash === 'literal' ? filename : filename.replaceAll('\\', '/');
  if (name.startsWith('/')) {
    if (policy.absolute === 'refuse') return refuse('absolute', 'absolute filename refused');
    name = name.replace(/^\/+/, '');
  }
  if (DRIVE.test(name)) return refuse('drive-letter', 'drive letter in filename refused');
  const segments: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (DOTS.test(segment)) return refuse('dot-dot', "'..' in filename refused");
    if (Buffer.byteLength(segment, 'utf8') > maxSegmentBytes) return refuse('too-long', 'filename too long');
    segments.push(segment);
  }
  if (segments.length === 0) return refuse('empty', 'empty filename');
  return { ok: true, segments, path: segments.join('/') };
}

/**
 * Separator-aware containment: is `target` the directory `root` itself or below it?
 * `/srv/tftp-private` is not inside `/srv/tftp`. Both are resolved (lexically) first.
 */
export function isInsideRoot(root: string, target: string, path: typeof nodePath = nodePath): boolean {
  const r = path.resolve(root);
  const t = path.resolve(target);
  if (t === r) return true;
  const prefix = r.endsWith(path.sep) ? r : r + path.sep;
  return t.startsWith(prefix);
}
