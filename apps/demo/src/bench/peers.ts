// Helpers for the TFTP benchmark: start the C servers (tftpd-hpa's in.tftpd, atftpd; through
// @udpkit/peers) and our own/the npm package's server as child processes on a probed loopback port,
// wait until they answer, run and time a client program, read a process's peak RSS.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  LOOPBACK,
  onFreshPort,
  PEERS,
  type PeerName,
  type PeerRun,
  type PeerServer,
  peerPath,
  runPeer,
  startAtftpd as startAtftpdOn,
  startInTftpd as startInTftpdOn,
  stopChild,
  waitForTftp,
} from '@udpkit/peers';

export const HOST = LOOPBACK;

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

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux build that matters). */
const USER_HZ = 100;

/**
 * CPU seconds the whole machine has spent busy so far (every process and the kernel: /proc/stat's
 * first line minus idle and iowait). The difference over a transfer is what the transfer cost,
 * client, server and network stack together — in.tftpd's per-transfer child included, which no
 * per-process count sees. Undefined where there is no /proc.
 */
export function machineCpuSeconds(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - f[3]! - f[4]!) / USER_HZ;
  } catch {
    return undefined;
  }
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

/** A C server from @udpkit/peers, with its peak RSS. */
const withRss = (server: PeerServer): ServerProcess => ({
  name: server.name,
  port: server.port,
  pid: server.pid,
  peakRss: () => peakRssOf(server.pid),
  close: () => server.close(),
});

/** tftpd-hpa: `in.tftpd -L -s -a 127.0.0.1:PORT ROOT` (foreground, secure root). */
export async function startInTftpd(root: string): Promise<ServerProcess> {
  return withRss(await startInTftpdOn(needPeer('in.tftpd'), root));
}

/** atftpd in the foreground (staying root when run as root, to read the temp folder). */
export async function startAtftpd(root: string, logFile: string): Promise<ServerProcess> {
  return withRss(await startAtftpdOn(needPeer('atftpd'), root, { logFile }));
}

export interface NodeServerSpec {
  /** 'udpkit': createTftpServer; 'npm-tftp': the npm tftp package's createServer; 'raw-dgram': the floor (raw-tftp-server.ts). */
  kind: 'udpkit' | 'npm-tftp' | 'raw-dgram';
  root: string;
  allowWrite?: boolean;
  /** 'udpkit': the busyPoll option (µs). */
  busyPoll?: number;
}

const SERVER_CHILD = fileURLToPath(new URL('./server-child.js', import.meta.url));

/** A Node TFTP server in its own process (so its RSS is its own); it reports the port it bound. */
export function startNodeServer(spec: NodeServerSpec): Promise<ServerProcess> {
  return onFreshPort((port) => startNodeServerOn(spec, port), { attempts: 3 });
}

async function startNodeServerOn(spec: NodeServerSpec, port: number): Promise<ServerProcess> {
  const name =
    spec.kind === 'udpkit'
      ? spec.busyPoll
        ? `udpkit (busyPoll ${spec.busyPoll} µs)`
        : 'udpkit'
      : spec.kind === 'npm-tftp'
        ? 'npm tftp'
        : 'raw node:dgram';
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
  const server: ServerProcess = {
    name,
    port,
    pid: child.pid!,
    peakRss: () => peakRssOf(child.pid!),
    close: () => stopChild(child),
  };
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

/** A client program's run: exit status, output and spawn-to-exit milliseconds. */
export type TimedRun = PeerRun;

/** Runs a program to its end and times it (spawn to exit); kills it after 180 s. */
const timeCommand = (file: string, args: string[]): Promise<TimedRun> => runPeer(file, args, { timeoutMs: 180_000 });

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
