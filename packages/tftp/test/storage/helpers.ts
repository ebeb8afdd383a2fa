import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadSource, TftpReadRequest, TftpWriteRequest } from '../../src/index.js';

/** A fresh folder under the OS temp dir; `cleanup()` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'udpkit-tftp-storage-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const remote = { address: '127.0.0.1', port: 40000, family: 'IPv4' } as const;

export function readReq(filename: string, extra: Partial<TftpReadRequest> = {}): TftpReadRequest {
  return { filename, mode: 'octet', remote, signal: new AbortController().signal, ...extra };
}

export function writeReq(filename: string, extra: Partial<TftpWriteRequest> = {}): TftpWriteRequest {
  return { filename, mode: 'octet', remote, signal: new AbortController().signal, ...extra };
}

export async function collect(source: ReadSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return new Uint8Array(Buffer.concat(parts));
}

/** Number of open descriptors of this process (Linux), or undefined elsewhere. */
export async function fdCount(): Promise<number | undefined> {
  try {
    return (await readdir('/proc/self/fd')).length;
  } catch {
    return undefined;
  }
}

export const list = async (dir: string) => (await readdir(dir)).sort();

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
