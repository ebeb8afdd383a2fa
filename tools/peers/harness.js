// Running the real peer programs on loopback: probe a free UDP port, start a TFTP server (in.tftpd,
// atftpd) on it — on a fresh port again if the probed one was taken meanwhile — and wait until it
// answers, run a client program to its end with a timeout and its output captured. Every process
// started here is tracked: `killAll()` (in afterEach/afterAll) leaves none behind.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';

export const LOOPBACK = '127.0.0.1';

/** Output kept per stream (the rest is dropped): enough for any message a test looks at. */
const OUTPUT_LIMIT = 1 << 20;

/** The processes started here that have not closed yet. */
const running = new Set();
/** Process → resolved once it has closed its output (or failed to start). */
const closings = new WeakMap();

function track(child) {
  running.add(child);
  closings.set(
    child,
    new Promise((resolve) => {
      const gone = () => {
        running.delete(child);
        resolve();
      };
      child.once('close', gone);
      child.once('error', gone);
    }),
  );
  return child;
}

const append = (text, chunk) => (text.length < OUTPUT_LIMIT ? text + chunk : text);

/** A UDP port that was free a moment ago: bind port 0, read the port, close. */
export async function freeUdpPort(host = LOOPBACK) {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * Sends a read request for a file that does not exist until anything answers (an ERROR, most
 * likely): the TFTP server on `port` is up.
 */
export async function waitForTftp(port, { host = LOOPBACK, timeoutMs = 5000 } = {}) {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const request = Buffer.from('\0\x01udpkit-ready-probe.none\0octet\0', 'latin1');
  try {
    await new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      let timer;
      socket.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on('error', () => {}); // ICMP port unreachable before the server binds
      const poke = () => {
        if (Date.now() > deadline) {
          reject(new Error(`no TFTP server answered on ${host}:${port} within ${timeoutMs} ms`));
          return;
        }
        socket.send(request, port, host);
        timer = setTimeout(poke, 50);
      };
      socket.bind(0, host, poke);
    });
  } finally {
    socket.close();
  }
}

/**
 * Runs a program to its end, killed (SIGKILL) after `timeoutMs`. `ms` runs from spawn to exit;
 * the promise resolves once the output is read to its end.
 */
export function runPeer(program, args, { cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = track(spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    let output = '';
    let ms = 0;
    child.stdout.on('data', (chunk) => {
      stdout = append(stdout, chunk);
      output = append(output, chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr = append(stderr, chunk);
      output = append(output, chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      ms = performance.now() - start;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output, ms });
    });
  });
}

/** Starts a long-running program (a server), stdout and stderr kept together in `output()`. */
export function startPeer(program, args) {
  const child = track(spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  child.stdout.on('data', (chunk) => {
    out = append(out, chunk);
  });
  child.stderr.on('data', (chunk) => {
    out = append(out, chunk);
  });
  child.output = () => out;
  return child;
}

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Resolves when `child` has exited and closed its output (at once if it already has). */
function closed(child) {
  const known = closings.get(child);
  if (known) return known;
  // Not started here: over once it has exited and its pipes are closed.
  if (hasExited(child) && child.stdio.every((s) => !s || s.destroyed)) return Promise.resolve();
  return new Promise((resolve) => child.once('close', () => resolve()));
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves when the output is read to its end. Works for
 * any child process, not only those started here.
 */
export async function stopChild(child, graceMs = 3000) {
  const done = closed(child);
  if (!hasExited(child)) child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(killer);
}

/** Kills (SIGKILL) every process started here that is still running, and waits for them. */
export async function killAll() {
  await Promise.all(
    [...running].map((child) => {
      const done = closed(child);
      if (!hasExited(child)) child.kill('SIGKILL');
      return done;
    }),
  );
}

/**
 * `start(port)` on a freshly probed port; a probed port can be taken by someone else before the
 * server binds it, so on failure it tries again on another one (the failed start cleans up).
 */
export async function onFreshPort(start, { host = LOOPBACK, attempts = 5 } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await start(await freeUdpPort(host));
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}

/**
 * Starts a TFTP server program on a probed free port (`args(port)` its command line) and resolves
 * once it answers; retried on a fresh port if it exits or stays silent.
 */
export function startPeerServer(name, program, args, { host = LOOPBACK, attempts = 5 } = {}) {
  return onFreshPort(
    async (port) => {
      const child = startPeer(program, args(port));
      try {
        await Promise.race([
          waitForTftp(port, { host }),
          new Promise((_, reject) => {
            child.once('error', reject);
            child.once('exit', (code) =>
              reject(new Error(`${name} exited (${code}) before answering: ${child.output()}`)),
            );
          }),
        ]);
      } catch (error) {
        await stopChild(child);
        throw error;
      }
      return {
        name,
        port,
        pid: child.pid,
        child,
        output: () => child.output(),
        close: () => stopChild(child),
      };
    },
    { host, attempts },
  );
}

/**
 * tftpd-hpa's server in the foreground with a secure root:
 * `in.tftpd -L -s ...args -a HOST:PORT ROOT` (`args` e.g. `-c` to allow creating files).
 */
export function startInTftpd(program, root, { args = [], host = LOOPBACK } = {}) {
  const address = host.includes(':') ? `[${host}]` : host;
  return startPeerServer('tftpd-hpa', program, (port) => ['-L', '-s', ...args, '-a', `${address}:${port}`, root], {
    host,
  });
}

/**
 * atftpd in the foreground, logging to `logFile`; as root it must be told to stay root to read a
 * temp folder.
 */
export function startAtftpd(program, root, { logFile, args = [], host = LOOPBACK } = {}) {
  const asRoot = process.getuid?.() === 0 ? ['--user', 'root', '--group', 'root'] : [];
  return startPeerServer(
    'atftpd',
    program,
    (port) => [
      '--daemon',
      '--no-fork',
      '--port',
      String(port),
      '--bind-address',
      host,
      ...(logFile === undefined ? [] : ['--logfile', logFile]),
      ...asRoot,
      ...args,
      root,
    ],
    { host },
  );
}
