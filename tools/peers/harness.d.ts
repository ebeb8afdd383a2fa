import type { ChildProcess } from 'node:child_process';

export declare const LOOPBACK: string;

/** A UDP port that was free a moment ago: bind port 0, read the port, close. */
export declare function freeUdpPort(host?: string): Promise<number>;

/** Sends a read request for a missing file until anything answers: the TFTP server is up. */
export declare function waitForTftp(port: number, options?: { host?: string; timeoutMs?: number }): Promise<void>;

export interface PeerRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, together. */
  output: string;
  /** Spawn to exit, in milliseconds. */
  ms: number;
}

/** Runs a program to its end, killed (SIGKILL) after `timeoutMs` (default 60 s). */
export declare function runPeer(
  program: string,
  args: string[],
  options?: { cwd?: string; timeoutMs?: number },
): Promise<PeerRun>;

export type PeerProcess = ChildProcess & { output(): string };

/** Starts a long-running program (a server); `killAll()` kills it. */
export declare function startPeer(program: string, args: string[]): PeerProcess;

/** SIGTERM, then SIGKILL after `graceMs` (default 3 s); resolves when its output is closed. */
export declare function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;

/** Kills every process started here that is still running, and waits for them. */
export declare function killAll(): Promise<void>;

/** `start(port)` on a freshly probed port, tried again on another one if it fails. */
export declare function onFreshPort<T>(
  start: (port: number) => Promise<T>,
  options?: { host?: string; attempts?: number },
): Promise<T>;

export interface PeerServer {
  name: string;
  port: number;
  pid: number;
  child: PeerProcess;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (SIGKILL after 3 s); resolves when it is gone. */
  close(): Promise<void>;
}

/** A TFTP server program on a probed free port, resolved once it answers. */
export declare function startPeerServer(
  name: string,
  program: string,
  args: (port: number) => string[],
  options?: { host?: string; attempts?: number },
): Promise<PeerServer>;

/** `in.tftpd -L -s ...args -a HOST:PORT ROOT`. */
export declare function startInTftpd(
  program: string,
  root: string,
  options?: { args?: string[]; host?: string },
): Promise<PeerServer>;

/** `atftpd --daemon --no-fork --port PORT --bind-address HOST [--logfile LOG] [--user root --group root] ...args ROOT`. */
export declare function startAtftpd(
  program: string,
  root: string,
  options?: { logFile?: string; args?: string[]; host?: string },
): Promise<PeerServer>;
