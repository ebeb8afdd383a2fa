// Helpers for the TFTP benchmark: probe a free loopback UDP port, start the C servers (tftpd-hpa's
// in.tftpd, atftpd) and our own/the npm package's server as child processes, wait until they
// answer, run and time a client program, read a process's peak RSS.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PEERS, type PeerName, peerPath } from '@udpkit/peers';

export const HOST = '127.0.0.1';

/** A port the OS considers free right now: bind 127.0.0.1:0, read the port, close. */
export async function probePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, HOST, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Path of a peer program; throws (the benchmark needs them all) when one is missing. */
export function needPeer(name: PeerName): string {
  const path = peerPath(name);
  if (!path)
    throw new Error(`peer program '${name}' is missing: run \`node scripts/ensure-peers.mjs\` (as root on Debian)`);
  return path;
}

/** Version line of each peer program, for the report. */
export function peerVersions(): Record<string, string> {
  const run = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
  };
  const first = (text: string) =>
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'unknown';
  const out: Record<string, string> = {};
  const versions: [PeerName, string[]][] = [
    ['tftp-hpa', ['-V']],
    ['in.tftpd', ['-V']],
    ['atftp', ['--version']],
    ['atftpd', ['--version']],
  ];
  for (const [name, args] of versions) {
    const path = peerPath(name);
    // atftp prints its version unflushed when stdout is a pipe: fall back to the Debian package.
    const deb = PEERS[name].deb;
    const fromDeb = () => first(run('dpkg-query', ['-W', '-f', `${deb} \${Version}`, deb]));
    out[name] = path ? first(run(path, args)).replace(/^unknown$/, '') || fromDeb() : 'missing';
  }
  return out;
}

/** Sends a read request for a file that does not exist until anything answers. */
export async function waitForTftp(port: number, timeoutMs = 5000): Promise<void> {
  const socket = dgram.createSocket('udp4');
  const request = Buffer.from('\0\x01udpkit-bench-probe.none\0octet\0', 'latin1');
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      socket.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('error', () => {}); // ICMP port unreachable before the server binds
      const poke = () => {
        if (Date.now() > deadline) {
          reject(new Error(`no TFTP server answered on ${HOST}:${port} within ${timeoutMs} ms`));
          return;
        }
        socket.send(request, port, HOST);
        timer = setTimeout(poke, 50);
      };
      socket.bind(0, HOST, poke);
    });
  } finally {
    socket.close();
  }
}

export interface ServerProcess {
  name: string;
  port: number;
  pid: number;
  /** Peak resident set size so far (VmHWM), in bytes; undefined once the process is gone. */
  peakRss(): number | undefined;
  close(): Promise<void>;
  /** What our server reported at exit (transfer totals), once closed; undefined for the others. */
  readonly stats?: Record<string, number>;
}

/** VmHWM (peak RSS) of a live process, in bytes. */
export function peakRssOf(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function wrapChild(name: string, port: number, child: ChildProcess, stderr: string[]): ServerProcess {
  const exited = new Promise<void>((resolve) => {
    // 'close' (not 'exit'): stdout is read to its end, so a last report line is not lost.
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  return {
    name,
    port,
    pid: child.pid!,
    peakRss: () => peakRssOf(child.pid!),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
      void stderr;
    },
  };
}

async function startChild(name: string, port: number, file: string, args: string[]): Promise<ServerProcess> {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 50) stderr.push(chunk.toString());
  });
  const server = wrapChild(name, port, child, stderr);
  try {
    await Promise.race([
      waitForTftp(port),
      new Promise((_, reject) =>
        child.once('exit', (code) =>
          reject(new Error(`${name} exited (${code}) before answering: ${stderr.join('')}`)),
        ),
      ),
    ]);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}

/**
 * A probed port can be taken by someone else before the server binds it: try again on a fresh
 * port (the failed server has exited by then).
 */
async function onFreshPort(start: (port: number) => Promise<ServerProcess>, attempts = 3): Promise<ServerProcess> {
  for (let i = 1; ; i++) {
    try {
      return await start(await probePort());
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}

/** tftpd-hpa: `in.tftpd -L -s -a 127.0.0.1:PORT ROOT` (foreground, secure root). */
export function startInTftpd(root: string): Promise<ServerProcess> {
  return onFreshPort((port) =>
    startChild('tftpd-hpa', port, needPeer('in.tftpd'), ['-L', '-s', '-a', `${HOST}:${port}`, root]),
  );
}

/** atftpd in the foreground; as root it must be told to stay root to read the temp folder. */
export function startAtftpd(root: string, logFile: string): Promise<ServerProcess> {
  return onFreshPort((port) => {
    const args = ['--daemon', '--no-fork', '--port', String(port), '--bind-address', HOST, '--logfile', logFile];
    if (process.getuid?.() === 0) args.push('--user', 'root', '--group', 'root');
    return startChild('atftpd', port, needPeer('atftpd'), [...args, root]);
  });
}

export interface NodeServerSpec {
  /** 'udpkit': createTftpServer; 'npm-tftp': the npm tftp package's createServer. */
  kind: 'udpkit' | 'npm-tftp';
  root: string;
  allowWrite?: boolean;
}

const SERVER_CHILD = fileURLToPath(new URL('./server-child.js', import.meta.url));

/** A Node TFTP server in its own process (so its RSS is its own); it reports the port it bound. */
export function startNodeServer(spec: NodeServerSpec): Promise<ServerProcess> {
  return onFreshPort((port) => startNodeServerOn(spec, port));
}

async function startNodeServerOn(spec: NodeServerSpec, port: number): Promise<ServerProcess> {
  const name = spec.kind === 'udpkit' ? 'udpkit' : 'npm tftp';
  const child = spawn(process.execPath, [SERVER_CHILD, JSON.stringify({ ...spec, port })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 50) stderr.push(chunk.toString());
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    lines.once('line', (line) => (line.startsWith('listening') ? resolve() : reject(new Error(line))));
    child.once('exit', (code) => reject(new Error(`${name} server exited (${code}): ${stderr.join('')}`)));
  });
  const server: ServerProcess = wrapChild(name, port, child, stderr);
  lines.on('line', (line) => {
    if (line.startsWith('stats ')) Object.assign(server, { stats: JSON.parse(line.slice(6)) });
  });
  try {
    await ready;
    await waitForTftp(port);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}

export interface TimedRun {
  ms: number;
  code: number | null;
  output: string;
}

/** Runs a program to its end and times it (spawn to exit); kills it after `timeoutMs`. */
export function timeCommand(file: string, args: string[], timeoutMs = 180_000): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < 4000) output += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - start, code, output });
    });
  });
}

export interface ClientSpec {
  blksize?: number;
  windowsize?: number;
}

/** atftp client: `atftp --get -r REMOTE -l LOCAL [--option "blksize N"] [--option "windowsize W"] HOST PORT`. */
export function atftpGet(port: number, remote: string, local: string, spec: ClientSpec = {}): Promise<TimedRun> {
  const args = ['--get', '-r', remote, '-l', local];
  if (spec.blksize !== undefined && spec.blksize !== 512) args.push('--option', `blksize ${spec.blksize}`);
  if (spec.windowsize !== undefined && spec.windowsize !== 1) args.push('--option', `windowsize ${spec.windowsize}`);
  return timeCommand(needPeer('atftp'), [...args, HOST, String(port)]);
}

/** tftp-hpa client, octet, no options: plain RFC 1350 lockstep with 512-byte blocks. */
export function tftpHpaGet(port: number, remote: string, local: string): Promise<TimedRun> {
  return timeCommand(needPeer('tftp-hpa'), [HOST, String(port), '-m', 'octet', '-c', 'get', remote, local]);
}
