// Spawning real TFTP programs (Debian's tftp-hpa, atftp, curl, in.tftpd, atftpd) on loopback.
// Every process started here is tracked and killed by `killAll()` (call it in afterEach/afterAll).
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';

const running = new Set<ChildProcess>();

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`). */
export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Starts a long-running program (a server); it is killed by killAll(). */
export function start(cmd: string, args: string[]): ChildProcess & { output(): string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & { output(): string };
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  child.output = () => out;
  child.on('close', () => running.delete(child));
  child.on('error', () => running.delete(child));
  return child;
}

/** Kills every process this file started that is still running, and waits for them. */
export async function killAll(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            running.delete(child);
            resolve();
            return;
          }
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** A UDP port that was free a moment ago (bind to :0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => s.bind(0, host, resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Waits until something has bound UDP `port` (our bind fails with EADDRINUSE), up to `ms`. */
export async function waitBound(port: number, host = '127.0.0.1', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const inUse = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
      s.once('error', () => {
        s.close();
        resolve(true);
      });
      s.bind({ port, address: host, exclusive: true }, () => {
        s.close();
        resolve(false);
      });
    });
    if (inUse) return;
    if (Date.now() > deadline) throw new Error(`nothing bound UDP port ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts a server program on a probed free port, retrying on a port conflict (the port may be
 * taken between the probe and the program's bind).
 */
export async function startServer(
  cmd: string,
  args: (port: number) => string[],
  attempts = 5,
): Promise<{ child: ChildProcess & { output(): string }; port: number }> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = await freePort();
    const child = start(cmd, args(port));
    try {
      await Promise.race([
        waitBound(port),
        new Promise((_, reject) =>
          child.once('close', (code) => reject(new Error(`${cmd} exited (${code}): ${child.output()}`))),
        ),
      ]);
      return { child, port };
    } catch (error) {
      last = error;
      child.kill('SIGKILL');
    }
  }
  throw last;
}
