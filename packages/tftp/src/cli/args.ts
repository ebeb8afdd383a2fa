// The pure argument parser of the `tftp` bin: argv in, a discriminated union out, no I/O.
// Conventions: DESIGN.md "`tftp` CLI conventions"; URLs: RFC 3617 §2; option ranges:
// reference/tftp.md "Options".
import { isIPv6 } from 'node:net';
import { basename } from 'node:path';
import { type CliCommand, usageText } from './usage.js';

export type CliMode = 'octet' | 'netascii';

/** Flags shared by get and put. Absent numbers mean "do not ask for that option" / library default. */
export interface TransferArgs {
  /** Server host: a name or an IP address (IPv6 without brackets, zone kept). */
  host: string;
  /** Server port, 1-65535 (default 69). */
  port: number;
  /** `--mode` or the URL's `;mode=`; default `octet`. */
  mode: CliMode;
  /** `--blksize`, 8-65464 (RFC 2348). */
  blksize?: number;
  /** `--windowsize`, 1-65535 (RFC 7440). */
  windowsize?: number;
  /** `--timeout` in seconds, 1-255 (RFC 2349). */
  timeout?: number;
  /** `--utimeout` in microseconds, 10000-255000000 (tftp-hpa's utimeout option). */
  utimeout?: number;
  /**
   * Ask for (get) / announce (put) the size (RFC 2349, octet mode only): on unless `--no-tsize`
   * (`--tsize` is accepted and changes nothing).
   */
  tsize: boolean;
  /** `--no-options`: send a plain RFC 1350 request, no options at all. */
  noOptions: boolean;
  /** `--retries`, 0-100. */
  retries?: number;
  /** `--busy-poll US`: busy-poll for answers, 0-1000000 microseconds (library option `busyPoll`). */
  busyPoll?: number;
  json: boolean;
  quiet: boolean;
}

export interface GetArgs extends TransferArgs {
  kind: 'get';
  /** The file name to ask the server for (percent-decoded when it came from a URL). */
  remote: string;
  /** Where to write: a path, or `-` for stdout. */
  local: string;
  /** `--force` / `--overwrite`: replace LOCAL if it exists (default: refuse). */
  overwrite: boolean;
}

export interface PutArgs extends TransferArgs {
  kind: 'put';
  /** What to send: a path, or `-` for stdin. */
  local: string;
  /** The file name to write on the server. */
  remote: string;
}

export interface ServeArgs {
  kind: 'serve';
  root: string;
  /**
   * Listen address; absent → createTftpServer's default: `::` (every IPv6 and IPv4 address,
   * dual-stack), or `0.0.0.0` where IPv6 is unavailable.
   */
  host?: string;
  /** Listen port, 0-65535 (default 69; 0 = OS-chosen). */
  port: number;
  /** True with `--allow-write`, `--allow-create` or `--allow-overwrite`. */
  allowWrite: boolean;
  allowCreate: boolean;
  allowOverwrite: boolean;
  maxFileSize?: number;
  maxTransfers?: number;
  maxBlksize?: number;
  maxWindowsize?: number;
  /** `--no-options`: answer as plain RFC 1350, ignoring every option. */
  noOptions: boolean;
  /** `--port-range A-B`: transfer ports. */
  portRange?: { from: number; to: number };
  /** `--busy-poll US`: busy-poll for answers, 0-1000000 microseconds (library option `busyPoll`). */
  busyPoll?: number;
  json: boolean;
  quiet: boolean;
}

export type CliArgs =
  | { kind: 'help'; text: string }
  | { kind: 'usage-error'; message: string; command?: CliCommand }
  | GetArgs
  | PutArgs
  | ServeArgs;

export const DEFAULT_TFTP_PORT = 69;

type FlagName =
  | 'blksize'
  | 'windowsize'
  | 'timeout'
  | 'utimeout'
  | 'tsize'
  | 'no-tsize'
  | 'mode'
  | 'retries'
  | 'busy-poll'
  | 'json'
  | 'quiet'
  | 'host'
  | 'port'
  | 'allow-write'
  | 'allow-create'
  | 'allow-overwrite'
  | 'max-file-size'
  | 'max-transfers'
  | 'max-blksize'
  | 'max-windowsize'
  | 'no-options'
  | 'port-range'
  | 'force'
  | 'overwrite'
  | 'help';

const TRANSFER: readonly CliCommand[] = ['get', 'put'];
const GET: readonly CliCommand[] = ['get'];
const SERVE: readonly CliCommand[] = ['serve'];
const ALL: readonly CliCommand[] = ['get', 'put', 'serve'];

const FLAGS: Readonly<Record<FlagName, { takesValue: boolean; commands: readonly CliCommand[] }>> = {
  blksize: { takesValue: true, commands: TRANSFER },
  windowsize: { takesValue: true, commands: TRANSFER },
  timeout: { takesValue: true, commands: TRANSFER },
  utimeout: { takesValue: true, commands: TRANSFER },
  tsize: { takesValue: false, commands: TRANSFER },
  'no-tsize': { takesValue: false, commands: TRANSFER },
  mode: { takesValue: true, commands: TRANSFER },
  retries: { takesValue: true, commands: TRANSFER },
  'busy-poll': { takesValue: true, commands: ALL },
  json: { takesValue: false, commands: ALL },
  quiet: { takesValue: false, commands: ALL },
  host: { takesValue: true, commands: SERVE },
  port: { takesValue: true, commands: SERVE },
  'allow-write': { takesValue: false, commands: SERVE },
  'allow-create': { takesValue: false, commands: SERVE },
  'allow-overwrite': { takesValue: false, commands: SERVE },
  'max-file-size': { takesValue: true, commands: SERVE },
  'max-transfers': { takesValue: true, commands: SERVE },
  'max-blksize': { takesValue: true, commands: SERVE },
  'max-windowsize': { takesValue: true, commands: SERVE },
  'no-options': { takesValue: false, commands: ALL },
  'port-range': { takesValue: true, commands: SERVE },
  force: { takesValue: false, commands: GET },
  overwrite: { takesValue: false, commands: GET },
  help: { takesValue: false, commands: ALL },
};

const COMMANDS: readonly string[] = ['get', 'put', 'serve'];

/** A usage error, thrown inside the parser and turned into the `usage-error` result. */
class UsageError extends Error {}

/** Quote a user-supplied string for a message: control characters escaped, long ones cut. */
export function quoteArg(s: string): string {
  const escaped = s.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped}'`;
}

// --- numbers -------------------------------------------------------------------------------

function integer(flag: string, raw: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`bad value for ${flag}: ${quoteArg(raw)} (expected an integer from ${min} to ${max})`);
  }
  return n;
}

const busyPoll = (raw: string): number => integer('--busy-poll', raw, 0, 1_000_000);

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function size(flag: string, raw: string): number {
  const m = /^([0-9]+)([kmgt]?)$/i.exec(raw);
  const n = m ? Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]! : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`bad value for ${flag}: ${quoteArg(raw)} (expected a size in bytes, e.g. 1048576 or 32M)`);
  }
  return n;
}

function mode(flag: string, raw: string): CliMode {
  const m = raw.toLowerCase();
  if (m === 'octet' || m === 'netascii') return m;
  throw new UsageError(`bad value for ${flag}: ${quoteArg(raw)} (expected octet or netascii)`);
}

// --- hosts and URLs ------------------------------------------------------------------------

const BAD_HOST = /[\s\u0000-\u001f\u007f/@?#[\]]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function port(raw: string, what: string): number {
  const n = /^[0-9]{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new UsageError(`bad port in ${what}: ${quoteArg(raw)} (expected 1 to 65535)`);
  return n;
}

/** `HOST`, `HOST:PORT`, `[V6]`, `[V6]:PORT`, or a bare IPv6 address (no port then). */
function parseHostPort(text: string, inUrl = false): { host: string; port: number } {
  if (text === '') throw new UsageError('missing host');
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw new UsageError(`bad host ${quoteArg(text)}: missing ']'`);
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (!isIPv6(host)) throw new UsageError(`bad IPv6 address ${quoteArg(host)}`);
    if (rest === '') return { host, port: DEFAULT_TFTP_PORT };
    if (!rest.startsWith(':')) throw new UsageError(`bad host ${quoteArg(text)}`);
    return { host, port: port(rest.slice(1), quoteArg(text)) };
  }
  const colons = text.split(':').length - 1;
  if (colons > 1) {
    if (inUrl) throw new UsageError(`bad host ${quoteArg(text)}: write IPv6 addresses in a URL as [ADDRESS]`);
    if (!isIPv6(text)) throw new UsageError(`bad host ${quoteArg(text)}`);
    return { host: text, port: DEFAULT_TFTP_PORT };
  }
  const [host, rawPort] = text.split(':') as [string, string | undefined];
  if (host === '') throw new UsageError(`missing host in ${quoteArg(text)}`);
  if (BAD_HOST.test(host)) throw new UsageError(`bad host ${quoteArg(host)}`);
  return { host, port: rawPort === undefined ? DEFAULT_TFTP_PORT : port(rawPort, quoteArg(text)) };
}

interface TftpUrl {
  host: string;
  port: number;
  /** The decoded file; `''` when the URL names none (`tftp://host/`). */
  file: string;
  mode?: CliMode;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** RFC 3617 §2 percent-decoding: `%XX` → byte, the rest as UTF-8, the result as UTF-8. */
function percentDecode(text: string, url: string): string {
  if (/%(?![0-9a-f]{2})/i.test(text)) throw new UsageError(`bad percent-encoding in ${quoteArg(url)}`);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
    }
  }
  try {
    return decoder.decode(new Uint8Array(bytes));
  } catch {
    throw new UsageError(`bad percent-encoding in ${quoteArg(url)} (not UTF-8)`);
  }
}

function isTftpUrl(text: string): boolean {
  return /^tftp:\/\//i.test(text);
}

/**
 * `tftp://HOST[:PORT]/FILE[;mode=netascii|octet]` (RFC 3617 §2). The `/` after the authority
 * is not part of FILE (`tftp://h//abs` names `/abs`); FILE is percent-decoded; `;mode=` is
 * case-insensitive; user info, other parameters, `?` and `#` are refused.
 */
function parseTftpUrl(url: string): TftpUrl {
  const rest = url.slice('tftp://'.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  if (authority.includes('@')) throw new UsageError(`user information is not allowed in a tftp URL: ${quoteArg(url)}`);
  if (/[?#]/.test(authority)) throw new UsageError(`bad host in ${quoteArg(url)}`);
  const { host, port } = parseHostPort(authority, true);
  let urlMode: CliMode | undefined;
  const semi = path.indexOf(';');
  if (semi >= 0) {
    const param = path.slice(semi + 1);
    path = path.slice(0, semi);
    const m = /^mode=(.*)$/i.exec(param);
    if (!m) throw new UsageError(`unsupported parameter ${quoteArg(`;${param}`)} in tftp URL (only ;mode=)`);
    const value = m[1]!.toLowerCase();
    if (value !== 'octet' && value !== 'netascii') {
      throw new UsageError(`bad mode ${quoteArg(m[1]!)} in tftp URL (expected octet or netascii)`);
    }
    urlMode = value;
  }
  const bad = /[?#]/.exec(path);
  if (bad) {
    const code = bad[0] === '?' ? '%3F' : '%23';
    throw new UsageError(`unexpected '${bad[0]}' in tftp URL ${quoteArg(url)} (write it as ${code})`);
  }
  const file = percentDecode(path, url);
  if (CONTROL.test(file)) throw new UsageError(`control character in the file name of ${quoteArg(url)}`);
  return urlMode ? { host, port, file, mode: urlMode } : { host, port, file };
}

// --- the parser ----------------------------------------------------------------------------

interface Scanned {
  positionals: string[];
  flags: Map<FlagName, string | true>;
  help: boolean;
  error?: string;
}

function scan(argv: readonly string[]): Scanned {
  const out: Scanned = { positionals: [], flags: new Map(), help: false };
  const fail = (message: string) => {
    out.error ??= message;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      fail(`unknown option ${quoteArg(arg)}`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(FLAGS, name) ? FLAGS[name as FlagName] : undefined;
    if (!spec) {
      fail(`unknown option ${quoteArg(eq < 0 ? arg : arg.slice(0, eq))}`);
      continue;
    }
    if (name === 'help') {
      if (eq >= 0) fail('option --help does not take a value');
      else out.help = true;
      continue;
    }
    if (!spec.takesValue) {
      if (eq >= 0) fail(`option --${name} does not take a value`);
      else out.flags.set(name as FlagName, true);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // A following option is not taken as the value: `--blksize --json` is a missing value.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        fail(`option --${name} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    out.flags.set(name as FlagName, value); // the last one wins
  }
  return out;
}

function localBaseName(remote: string): string {
  // Remote names may use `/` or `\` (reference/tftp.md: Windows clients send `\`).
  const base = remote.split(/[/\\]/).at(-1) ?? '';
  if (base === '' || base === '.' || base === '..') {
    throw new UsageError(`cannot name the local file after ${quoteArg(remote)}; give LOCAL`);
  }
  return base;
}

function remoteBaseName(local: string): string {
  const base = basename(local);
  if (base === '' || base === '.' || base === '..' || base === '/') {
    throw new UsageError(`cannot name the remote file after ${quoteArg(local)}; give REMOTE`);
  }
  return base;
}

function checkRemote(remote: string, what = 'REMOTE'): string {
  if (remote === '') throw new UsageError(`empty ${what} file name`);
  if (CONTROL.test(remote)) throw new UsageError(`control character in ${what} ${quoteArg(remote)}`);
  // The wire format carries file names as ASCII (packet.ts refuses other bytes both ways).
  if (/[^\x20-\x7e]/.test(remote)) throw new UsageError(`${what} must be ASCII: ${quoteArg(remote)}`);
  return remote;
}

function tooMany(extra: string[]): never {
  throw new UsageError(`unexpected argument ${quoteArg(extra[0]!)}`);
}

function transferFlags(flags: Map<FlagName, string | true>): Omit<TransferArgs, 'host' | 'port' | 'mode'> {
  const str = (n: FlagName) => flags.get(n) as string | undefined;
  const out: Omit<TransferArgs, 'host' | 'port' | 'mode'> = {
    tsize: !flags.has('no-tsize'),
    noOptions: flags.has('no-options'),
    json: flags.has('json'),
    quiet: flags.has('quiet'),
  };
  if (str('blksize') !== undefined) out.blksize = integer('--blksize', str('blksize')!, 8, 65464);
  if (str('windowsize') !== undefined) out.windowsize = integer('--windowsize', str('windowsize')!, 1, 65535);
  if (str('timeout') !== undefined) out.timeout = integer('--timeout', str('timeout')!, 1, 255);
  if (str('utimeout') !== undefined) out.utimeout = integer('--utimeout', str('utimeout')!, 10_000, 255_000_000);
  if (str('retries') !== undefined) out.retries = integer('--retries', str('retries')!, 0, 100);
  if (str('busy-poll') !== undefined) out.busyPoll = busyPoll(str('busy-poll')!);
  if (flags.has('tsize') && flags.has('no-tsize')) throw new UsageError('--tsize and --no-tsize contradict each other');
  if (out.noOptions) {
    for (const name of ['blksize', 'windowsize', 'timeout', 'utimeout', 'tsize'] as const) {
      if (flags.has(name)) throw new UsageError(`--no-options cannot be used with --${name}`);
    }
  }
  return out;
}

function pickMode(flag: string | undefined, fromUrl: CliMode | undefined): CliMode {
  const fromFlag = flag === undefined ? undefined : mode('--mode', flag);
  if (fromFlag && fromUrl && fromFlag !== fromUrl) {
    throw new UsageError(`conflicting modes: the URL says ${fromUrl}, --mode says ${fromFlag}`);
  }
  return fromFlag ?? fromUrl ?? 'octet';
}

function parseGet(args: string[], flags: Map<FlagName, string | true>): GetArgs {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError('missing argument HOST[:PORT] (or a tftp:// URL)');
  let target: { host: string; port: number };
  let remote: string;
  let urlMode: CliMode | undefined;
  let tail: string[];
  if (isTftpUrl(first)) {
    const url = parseTftpUrl(first);
    if (url.file === '') throw new UsageError(`missing file in ${quoteArg(first)}`);
    target = url;
    remote = checkRemote(url.file, 'the file of the URL');
    urlMode = url.mode;
    tail = rest;
  } else {
    target = parseHostPort(first);
    if (rest[0] === undefined) throw new UsageError('missing argument REMOTE');
    remote = checkRemote(rest[0]);
    tail = rest.slice(1);
  }
  if (tail.length > 1) tooMany(tail.slice(1));
  const local = tail[0] ?? localBaseName(remote);
  if (local === '') throw new UsageError('empty LOCAL file name');
  const common = transferFlags(flags);
  if (local === '-' && common.json)
    throw new UsageError('--json cannot be used with LOCAL - (stdout carries the file)');
  return {
    kind: 'get',
    host: target.host,
    port: target.port,
    remote,
    local,
    overwrite: flags.has('force') || flags.has('overwrite'),
    mode: pickMode(flags.get('mode') as string | undefined, urlMode),
    ...common,
  };
}

function parsePut(args: string[], flags: Map<FlagName, string | true>): PutArgs {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError('missing argument HOST[:PORT] (or a tftp:// URL)');
  let target: { host: string; port: number };
  let remote: string | undefined;
  let urlMode: CliMode | undefined;
  if (isTftpUrl(first)) {
    // put tftp://HOST/REMOTE LOCAL: the URL stands where HOST[:PORT] goes and carries REMOTE.
    const url = parseTftpUrl(first);
    target = url;
    remote = url.file === '' ? undefined : checkRemote(url.file, 'the file of the URL');
    urlMode = url.mode;
    if (rest.length > 1) tooMany(rest.slice(1));
  } else {
    target = parseHostPort(first);
    if (rest.length > 2) tooMany(rest.slice(2));
    if (rest[1] !== undefined) remote = checkRemote(rest[1]);
  }
  const local = rest[0];
  if (local === undefined) throw new UsageError('missing argument LOCAL');
  if (local === '') throw new UsageError('empty LOCAL file name');
  if (remote === undefined) {
    if (local === '-') throw new UsageError('put from stdin (LOCAL -) needs REMOTE');
    remote = checkRemote(remoteBaseName(local));
  }
  return {
    kind: 'put',
    host: target.host,
    port: target.port,
    local,
    remote,
    mode: pickMode(flags.get('mode') as string | undefined, urlMode),
    ...transferFlags(flags),
  };
}

function parseServe(args: string[], flags: Map<FlagName, string | true>): ServeArgs {
  const [root, ...rest] = args;
  if (root === undefined) throw new UsageError('missing argument ROOT');
  if (root === '') throw new UsageError('empty ROOT');
  if (rest.length > 0) tooMany(rest);
  const str = (n: FlagName) => flags.get(n) as string | undefined;
  const rawHost = str('host');
  const host = rawHost?.replace(/^\[(.*)\]$/, '$1'); // [::1] is accepted too
  if (rawHost !== undefined && host !== undefined) {
    if (host.includes(':') ? !isIPv6(host) : host === '' || BAD_HOST.test(host)) {
      throw new UsageError(`bad value for --host: ${quoteArg(rawHost)}`);
    }
  }
  const out: ServeArgs = {
    kind: 'serve',
    root,
    ...(host !== undefined ? { host } : {}),
    port: str('port') === undefined ? DEFAULT_TFTP_PORT : integer('--port', str('port')!, 0, 65535),
    allowWrite: flags.has('allow-write') || flags.has('allow-create') || flags.has('allow-overwrite'),
    allowCreate: flags.has('allow-create'),
    allowOverwrite: flags.has('allow-overwrite'),
    noOptions: flags.has('no-options'),
    json: flags.has('json'),
    quiet: flags.has('quiet'),
  };
  if (str('max-file-size') !== undefined) out.maxFileSize = size('--max-file-size', str('max-file-size')!);
  if (str('max-transfers') !== undefined)
    out.maxTransfers = integer('--max-transfers', str('max-transfers')!, 1, 65535);
  if (str('max-blksize') !== undefined) out.maxBlksize = integer('--max-blksize', str('max-blksize')!, 8, 65464);
  if (str('max-windowsize') !== undefined) {
    out.maxWindowsize = integer('--max-windowsize', str('max-windowsize')!, 1, 65535);
  }
  if (str('busy-poll') !== undefined) out.busyPoll = busyPoll(str('busy-poll')!);
  const range = str('port-range');
  if (range !== undefined) {
    const m = /^([0-9]+)-([0-9]+)$/.exec(range);
    const from = m ? Number(m[1]) : Number.NaN;
    const to = m ? Number(m[2]) : Number.NaN;
    if (!(from >= 1 && to <= 65535 && from <= to)) {
      throw new UsageError(`bad value for --port-range: ${quoteArg(range)} (expected A-B with 1 <= A <= B <= 65535)`);
    }
    out.portRange = { from, to };
  }
  return out;
}

/**
 * Parse the arguments of `tftp` (without the node and script paths). Never throws, never does
 * I/O. `--help`/`-h` anywhere before `--` wins over every usage error.
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const scanned = scan(argv);
  const [first, ...args] = scanned.positionals;
  // `tftp help [COMMAND]`
  if (first === 'help') {
    if (args.length > 1) return { kind: 'usage-error', message: `unexpected argument ${quoteArg(args[1]!)}` };
    const topic = args[0];
    if (topic === undefined) return { kind: 'help', text: usageText() };
    if (!COMMANDS.includes(topic)) return { kind: 'usage-error', message: `unknown command ${quoteArg(topic)}` };
    return { kind: 'help', text: usageText(topic as CliCommand) };
  }
  const command = first !== undefined && COMMANDS.includes(first) ? (first as CliCommand) : undefined;
  if (scanned.help) return { kind: 'help', text: usageText(command) };
  if (first === undefined) return { kind: 'usage-error', message: scanned.error ?? 'missing command' };
  if (!command) return { kind: 'usage-error', message: `unknown command ${quoteArg(first)}` };
  const usageError = (message: string): CliArgs => ({ kind: 'usage-error', message, command });
  if (scanned.error) return usageError(scanned.error);
  for (const flag of scanned.flags.keys()) {
    if (!FLAGS[flag].commands.includes(command)) return usageError(`option --${flag} does not apply to ${command}`);
  }
  try {
    if (command === 'get') return parseGet(args, scanned.flags);
    if (command === 'put') return parsePut(args, scanned.flags);
    return parseServe(args, scanned.flags);
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
}
