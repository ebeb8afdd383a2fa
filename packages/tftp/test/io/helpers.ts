import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTftpServer,
  type TftpServer,
  type TftpServerOptions,
  type TftpTransferEndInfo,
} from '../../src/index.js';

/** A fresh folder; `cleanup()` removes it. */
export async function tempDir(prefix = 'udpkit-tftp-io-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Deterministic bytes (xorshift32 from `seed`): big test files without storing them. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x;
    out[i + 1] = x >>> 8;
    out[i + 2] = x >>> 16;
    out[i + 3] = x >>> 24;
  }
  for (; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** Text with LF, CR LF and lone CR line ends (netascii round trips). */
export function textWithLineEnds(lines: number): Uint8Array {
  let s = '';
  for (let i = 0; i < lines; i++)
    s += `line ${i} ${'x'.repeat(i % 97)}${i % 3 === 0 ? '\r\n' : i % 7 === 0 ? '\r' : '\n'}`;
  return new TextEncoder().encode(s);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function writeFiles(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
}

/** Files left in `dir` whose names look like upload temp files. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.includes('.part') || n.includes('tftp-upload'));
}

export interface Served {
  server: TftpServer;
  port: number;
  /** `host:port` for the client calls. */
  address: string;
  ends: TftpTransferEndInfo[];
  /** Resolves with the next transfer end (of `filename`, if given). */
  nextEnd(filename?: string): Promise<TftpTransferEndInfo>;
}

/** Our server on `host` (default 127.0.0.1) and an OS-chosen port, recording transfer ends. */
export async function serve(options: TftpServerOptions, host = '127.0.0.1'): Promise<Served> {
  const ends: TftpTransferEndInfo[] = [];
  let waiters: ((i: TftpTransferEndInfo) => boolean)[] = [];
  let lastStarted = 0;
  const server = createTftpServer({
    host,
    port: 0,
    ...options,
    onTransferStart(info) {
      lastStarted = info.id;
      options.onTransferStart?.(info);
    },
    onTransferEnd(info) {
      ends.push(info);
      waiters = waiters.filter((f) => !f(info));
      options.onTransferEnd?.(info);
    },
  });
  const ep = await server.listen();
  const address = host.includes(':') ? `[${host}]:${ep.port}` : `${host}:${ep.port}`;
  return {
    server,
    port: ep.port,
    address,
    ends,
    nextEnd: (filename) => {
      // Only transfers that start from now on.
      const after = lastStarted;
      return new Promise((resolve) =>
        waiters.push((info) => {
          if (info.id <= after || (filename !== undefined && info.filename !== filename)) return false;
          resolve(info);
          return true;
        }),
      );
    },
  };
}

/** A raw node:dgram socket for protocol-level tests (a hand-driven peer). */
export interface RawPeer {
  socket: dgram.Socket;
  port: number;
  send(bytes: Uint8Array, port: number, host?: string): void;
  /** Next datagram (rejects after `ms`). */
  next(ms?: number): Promise<{ data: Buffer; port: number; address: string }>;
  /** Everything that arrives within `ms`. */
  collect(ms: number): Promise<{ data: Buffer; port: number; address: string }[]>;
  close(): void;
}

export async function rawPeer(family: 4 | 6 = 4): Promise<RawPeer> {
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  const host = family === 6 ? '::1' : '127.0.0.1';
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const queue: { data: Buffer; port: number; address: string }[] = [];
  let waiter: (() => void) | undefined;
  socket.on('message', (data, rinfo) => {
    queue.push({ data, port: rinfo.port, address: rinfo.address });
    waiter?.();
  });
  let closed = false;
  return {
    socket,
    port: socket.address().port,
    send(bytes, port, to = host) {
      socket.send(bytes, port, to);
    },
    async next(ms = 3000) {
      const deadline = Date.now() + ms;
      while (queue.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('raw peer: nothing received');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(t);
            resolve();
          };
        });
        waiter = undefined;
      }
      return queue.shift()!;
    },
    async collect(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return queue.splice(0);
    },
    close() {
      if (!closed) socket.close();
      closed = true;
    },
  };
}

/** RRQ/WRQ bytes. */
export function request(op: 1 | 2, filename: string, mode = 'octet', options: Record<string, string> = {}): Buffer {
  const parts = [filename, mode, ...Object.entries(options).flat()];
  return Buffer.concat([Buffer.from([0, op]), ...parts.map((p) => Buffer.from(`${p}\0`, 'latin1'))]);
}

export function ack(block: number): Buffer {
  return Buffer.from([0, 4, block >> 8, block & 0xff]);
}

export function errorPacket(code: number, message: string): Buffer {
  return Buffer.concat([Buffer.from([0, 5, code >> 8, code & 0xff]), Buffer.from(`${message}\0`, 'latin1')]);
}

export function opcode(b: Buffer): number {
  return b.readUInt16BE(0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
