// Helpers for the CLI tests: runCli in-process with captured streams, temp folders, test data.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { type CliIo, runCli } from '../../src/cli/run.js';

export interface Captured {
  stream: PassThrough;
  bytes(): Buffer;
  text(): string;
}

export function capture(): Captured {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString('utf8') };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliOptions {
  cwd?: string;
  stdin?: NodeJS.ReadableStream;
  isTTY?: boolean;
  signal?: AbortSignal;
  forceSignal?: AbortSignal;
  env?: Record<string, string>;
  stdout?: Captured;
  stderr?: Captured;
}

/** runCli with captured stdout/stderr; resolves after the streams have delivered everything. */
export async function cli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const out = options.stdout ?? capture();
  const err = options.stderr ?? capture();
  const io: CliIo = {
    stdin: options.stdin ?? Readable.from([]),
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.forceSignal !== undefined ? { forceSignal: options.forceSignal } : {}),
  };
  const code = await runCli(argv, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out.text(), stderr: err.text(), stdoutBytes: out.bytes() };
}

/** A temp folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'udpkit-tftp-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** Random bytes that are not valid text (so a netascii conversion would show). */
export function data(n: number): Buffer {
  return randomBytes(n);
}

/** Resolves when `predicate(text)` holds for the text captured so far (polls), or rejects after `ms`. */
export async function waitFor<T>(get: () => T | undefined, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
