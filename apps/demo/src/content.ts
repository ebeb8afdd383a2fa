// Seeded file contents and hashing, shared by the demo, the benchmarks and the tests: every
// transfer is verified by sha256 against content that is cheap to regenerate.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Deterministic pseudo-random bytes (xorshift32 words), fast enough for gigabytes. */
export function seededBytes(size: number, seed: number, offset = 0): Uint8Array {
  // The stream is defined per 4-byte word index so any window of it can be regenerated.
  const firstWord = Math.floor(offset / 4);
  const words = new Uint32Array(Math.ceil((offset + size) / 4) - firstWord + 1);
  for (let i = 0; i < words.length; i++) words[i] = mix(seed, firstWord + i);
  const bytes = new Uint8Array(words.buffer, offset - firstWord * 4, size);
  return bytes;
}

function mix(seed: number, index: number): number {
  let x = (Math.imul(index, 0x9e3779b1) ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Text with LF and lone CR line endings, to show netascii conversion. */
export function seededText(lines: number, seed: number): string {
  const words = ['udp', 'tftp', 'racket', 'scheme', 'endpoint', 'channel', 'block', 'ack', 'window', 'datagram'];
  const out: string[] = [];
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 1000;
  };
  for (let i = 0; i < lines; i++) {
    const n = 1 + (next() % 12);
    const line = Array.from({ length: n }, () => words[next() % words.length]).join(' ');
    out.push(next() % 50 === 0 ? `${line}\r` : line);
  }
  return `${out.join('\n')}\n`;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of a file, streamed (constant memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/** Writes `size` seeded bytes to `path` in 1 MiB chunks (constant memory); returns the sha256. */
export async function writeSeededFile(path: string, size: number, seed: number): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    const chunk = 1 << 20;
    for (let offset = 0; offset < size; offset += chunk) {
      const bytes = seededBytes(Math.min(chunk, size - offset), seed, offset);
      hash.update(bytes);
      await file.write(bytes);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
