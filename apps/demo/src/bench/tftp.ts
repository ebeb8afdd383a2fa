// TFTP, side by side with the C peers and the npm `tftp` package, all on loopback in this one run.
//
// A seeded 64 MiB file (--quick: 2 MiB) in a temp root served by four servers at once — ours
// (createTftpServer, in a child process), tftpd-hpa's in.tftpd, atftpd, the npm package's server
// (child process) — and fetched by the tftp-hpa client, the atftp client, our client library and
// the npm package's client. Every combination runs 5 times (--quick: once), interleaved (the
// order rotates each round), and every received file is checked by sha256: a transfer that is not
// byte-identical is a failure, never a number. Then scale: 500 concurrent 1 MiB downloads from one
// server process, and a 1 GiB download with the peak RSS of both ends.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeNetworkEndpoint, type NetworkEndpoint } from '@udpkit/endpoint';
import { tftpGet, tftpGetBytes, tftpGetFile } from '@udpkit/tftp';
import tftp from 'tftp';
import { sha256, sha256File, writeSeededFile } from '../content.js';
import { type FloodRates, floodRate } from './flood.js';
import {
  atftpGet,
  type ClientSpec,
  HOST,
  machineCpuSeconds,
  type ServerProcess,
  startAtftpd,
  startInTftpd,
  startNodeServer,
  type TimedRun,
  tftpHpaGet,
} from './peers.js';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

const MiB = 1 << 20;
const BIG = 'big.bin';
/** The busyPoll budget (µs) of the busy-polling rows: above a loopback round trip, with room. */
const BUSY_POLL = 200;

export interface TftpBenchSection extends BenchSection {
  /** Transfers that failed or were not byte-identical (the run exits non-zero). */
  failures: string[];
}

class NotIdentical extends Error {}

const label = (spec: ClientSpec) =>
  spec.blksize === undefined || spec.blksize === 512
    ? spec.windowsize && spec.windowsize > 1
      ? `512×w${spec.windowsize}`
      : 'lockstep 512'
    : spec.windowsize && spec.windowsize > 1
      ? `${spec.blksize}×w${spec.windowsize}`
      : `${spec.blksize}`;

interface Case {
  key: string;
  /** One timed transfer, verified; resolves to milliseconds. */
  run(): Promise<number>;
  samples: number[];
  /** Server rows: the machine's busy CPU seconds per run (when /proc tells). */
  cpu?: number[];
  errors: string[];
}

export async function run(options: BenchOptions): Promise<TftpBenchSection> {
  const quick = options.quick;
  const size = quick ? 2 * MiB : 64 * MiB;
  const runs = quick ? 1 : 5;
  const failures: string[] = [];
  const notes: string[] = [];
  const tmp = await mkdtemp(join(tmpdir(), 'udpkit-bench-'));
  const root = join(tmp, 'root');
  const out = join(tmp, 'out');
  await mkdir(root);
  await mkdir(out);
  const servers: ServerProcess[] = [];
  try {
    const expected = await writeSeededFile(join(root, BIG), size, 0x7f7f);
    const ours = await startNodeServer({ kind: 'udpkit', root });
    servers.push(ours);
    const oursPolling = await startNodeServer({ kind: 'udpkit', root, busyPoll: BUSY_POLL });
    servers.push(oursPolling);
    const raw = await startNodeServer({ kind: 'raw-dgram', root });
    servers.push(raw);
    const hpa = await startInTftpd(root);
    servers.push(hpa);
    const atftpd = await startAtftpd(root, join(tmp, 'atftpd.log'));
    servers.push(atftpd);
    const npm = await startNodeServer({ kind: 'npm-tftp', root });
    servers.push(npm);

    let counter = 0;
    const local = () => join(out, `got-${++counter}.bin`);
    // A client program's run: exit status and then the file's sha256.
    const program = async (what: string, go: (file: string) => Promise<TimedRun>) => {
      const file = local();
      const r = await go(file);
      try {
        if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.output.trim().slice(0, 200)}`);
        const got = await sha256File(file).catch(() => 'no file');
        if (got !== expected)
          throw new NotIdentical(`${what}: received file is not byte-identical (${r.output.trim().slice(0, 200)})`);
        return r.ms;
      } finally {
        await rm(file, { force: true });
      }
    };
    const serverCase = (client: 'tftp-hpa' | 'atftp', server: ServerProcess, spec: ClientSpec = {}): Case => {
      const k: Case = {
        key: `${client} ${label(spec)} → ${server.name}`,
        async run() {
          const before = machineCpuSeconds();
          const ms = await program(`${client} ${label(spec)} from ${server.name}`, (file) =>
            client === 'tftp-hpa' ? tftpHpaGet(server.port, BIG, file) : atftpGet(server.port, BIG, file, spec),
          );
          const after = machineCpuSeconds();
          if (before !== undefined && after !== undefined) k.cpu!.push(after - before);
          return ms;
        },
        samples: [],
        cpu: [],
        errors: [],
      };
      return k;
    };
    const endpointOf = (server: ServerProcess): NetworkEndpoint => makeNetworkEndpoint(HOST, server.port);
    const transferOptions = (spec: ClientSpec, busyPoll?: number) => ({
      ...(spec.blksize !== undefined && spec.blksize !== 512 ? { blksize: spec.blksize } : {}),
      ...(spec.windowsize !== undefined && spec.windowsize !== 1 ? { windowsize: spec.windowsize } : {}),
      ...(busyPoll === undefined ? {} : { busyPoll }),
      signal: AbortSignal.timeout(180_000),
    });
    const ourFileCase = (server: ServerProcess, spec: ClientSpec, busyPoll?: number): Case => ({
      key: `udpkit tftpGetFile ${label(spec)}${busyPoll ? ` busyPoll ${busyPoll} µs` : ''} → ${server.name}`,
      async run() {
        const file = local();
        try {
          const start = performance.now();
          await tftpGetFile(endpointOf(server), BIG, file, transferOptions(spec, busyPoll));
          const ms = performance.now() - start;
          if ((await sha256File(file)) !== expected)
            throw new NotIdentical(`tftpGetFile ${label(spec)} from ${server.name}: not byte-identical`);
          return ms;
        } finally {
          await rm(file, { force: true });
        }
      },
      samples: [],
      errors: [],
    });
    const ourHashCase = (server: ServerProcess, spec: ClientSpec): Case => ({
      key: `udpkit tftpGet → sha256 sink ${label(spec)} → ${server.name}`,
      async run() {
        const hash = createHash('sha256');
        const start = performance.now();
        await tftpGet(endpointOf(server), BIG, (chunk: Uint8Array) => void hash.update(chunk), transferOptions(spec));
        const ms = performance.now() - start;
        if (hash.digest('hex') !== expected)
          throw new NotIdentical(`tftpGet ${label(spec)} from ${server.name}: not byte-identical`);
        return ms;
      },
      samples: [],
      errors: [],
    });
    const npmClientCase = (server: ServerProcess, spec: ClientSpec): Case => ({
      key: `npm tftp client ${label(spec)} → ${server.name}`,
      async run() {
        const file = local();
        try {
          const client = tftp.createClient({
            host: HOST,
            port: server.port,
            blockSize: spec.blksize ?? 512,
            windowSize: spec.windowsize ?? 1,
          });
          const start = performance.now();
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('npm tftp client: no end after 180 s')), 180_000);
            client.get(BIG, file, (error) => {
              clearTimeout(timer);
              if (error) reject(error);
              else resolve();
            });
          });
          const ms = performance.now() - start;
          if ((await sha256File(file)) !== expected)
            throw new NotIdentical(`npm tftp client ${label(spec)}: not byte-identical`);
          return ms;
        } finally {
          await rm(file, { force: true });
        }
      },
      samples: [],
      errors: [],
    });

    const w16 = { blksize: 1468, windowsize: 16 };
    const big8 = { blksize: 8192, windowsize: 8 };
    const c = {
      hpaOurs: serverCase('tftp-hpa', ours),
      hpaOursPolling: serverCase('tftp-hpa', oursPolling),
      hpaRaw: serverCase('tftp-hpa', raw),
      hpaHpa: serverCase('tftp-hpa', hpa),
      a512Ours: serverCase('atftp', ours, {}),
      a512At: serverCase('atftp', atftpd, {}),
      a1468Ours: serverCase('atftp', ours, { blksize: 1468 }),
      a1468At: serverCase('atftp', atftpd, { blksize: 1468 }),
      w16Ours: serverCase('atftp', ours, w16),
      w16OursPolling: serverCase('atftp', oursPolling, w16),
      w16Raw: serverCase('atftp', raw, w16),
      w16At: serverCase('atftp', atftpd, w16),
      w16Npm: serverCase('atftp', npm, w16),
      b8Ours: serverCase('atftp', ours, big8),
      b8At: serverCase('atftp', atftpd, big8),
      clientFileW16: ourFileCase(atftpd, w16),
      clientHashW16: ourHashCase(atftpd, w16),
      clientFile512: ourFileCase(atftpd, {}),
      clientFile512Polling: ourFileCase(atftpd, {}, BUSY_POLL),
      clientFileW16Polling: ourFileCase(atftpd, w16, BUSY_POLL),
      clientFileB8: ourFileCase(atftpd, big8),
      npmClientW16: npmClientCase(atftpd, w16),
    };
    const cases = Object.values(c);

    // Warm-up (not counted): one small pass of our client and server so JIT and page cache settle.
    for (const k of [c.w16Ours, c.clientHashW16]) await k.run().catch(() => 0);

    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < cases.length; i++) {
        const k = cases[(i + round) % cases.length]!;
        try {
          k.samples.push(await k.run());
        } catch (error) {
          const message = `${k.key} (round ${round + 1}): ${(error as Error).message}`;
          k.errors.push(message);
          failures.push(message);
        }
        process.stderr.write(k.samples.length ? '.' : 'x');
      }
    }
    process.stderr.write('\n');

    const rate = (k: Case) => (k.samples.length ? size / MiB / (median(k.samples) / 1000) : undefined);
    const rows: BenchRow[] = [];
    const pair = (name: string, ours: Case, base: Case, baselineName: string, goal?: number) => {
      const o = rate(ours);
      const b = rate(base);
      if (o === undefined) {
        notes.push(`${name}: no successful run of ours (${ours.errors[0] ?? 'no runs'})`);
        return;
      }
      rows.push({
        name,
        ours: o,
        ...(b === undefined ? {} : { baseline: b, baselineName }),
        unit: 'MiB/s',
        higherIsBetter: true,
        ...(goal === undefined ? {} : { goal }),
        runs: Math.min(ours.samples.length, base.samples.length),
      });
      if (b === undefined) notes.push(`${name}: the baseline never completed (${base.errors[0] ?? 'no runs'})`);
    };
    const polling = `busyPoll ${BUSY_POLL} µs`;
    pair('server, tftp-hpa client, lockstep 512', c.hpaOurs, c.hpaHpa, 'tftpd-hpa', 0.8);
    pair(`server (${polling}), tftp-hpa client, lockstep 512`, c.hpaOursPolling, c.hpaHpa, 'tftpd-hpa', 0.8);
    pair('server, atftp client, lockstep 512', c.a512Ours, c.a512At, 'atftpd');
    pair('server, atftp client, blksize 1468', c.a1468Ours, c.a1468At, 'atftpd');
    pair('server, atftp client, 1468×w16', c.w16Ours, c.w16At, 'atftpd', 1.5);
    pair(`server (${polling}), atftp client, 1468×w16`, c.w16OursPolling, c.w16At, 'atftpd', 1.5);
    pair('server, atftp client, 8192×w8', c.b8Ours, c.b8At, 'atftpd');
    pair('server, atftp client, 1468×w16', c.w16Ours, c.w16Npm, 'npm tftp server', 5);
    pair(`server (${polling}), atftp client, 1468×w16`, c.w16OursPolling, c.w16Npm, 'npm tftp server', 5);
    pair('client → atftpd, 1468×w16, to a file', c.clientFileW16, c.w16At, 'atftp client', 1);
    pair(`client (${polling}) → atftpd, 1468×w16, to a file`, c.clientFileW16Polling, c.w16At, 'atftp client', 1);
    pair('client → atftpd, 1468×w16, to a sha256 sink', c.clientHashW16, c.w16At, 'atftp client');
    pair('client → atftpd, lockstep 512, to a file', c.clientFile512, c.a512At, 'atftp client');
    pair(`client (${polling}) → atftpd, lockstep 512, to a file`, c.clientFile512Polling, c.a512At, 'atftp client');
    pair('client → atftpd, 8192×w8, to a file', c.clientFileB8, c.b8At, 'atftp client');
    pair('client → atftpd, 1468×w16, to a file', c.clientFileW16, c.npmClientW16, 'npm tftp client', 5);

    // The floor: what a minimal node:dgram server (raw-tftp-server.ts) reaches against the same
    // baselines — how far the goals are from what Node allows at all.
    pair('floor: raw node:dgram server, tftp-hpa client, lockstep 512', c.hpaRaw, c.hpaHpa, 'tftpd-hpa');
    pair('floor: raw node:dgram server, atftp client, 1468×w16', c.w16Raw, c.w16At, 'atftpd');
    pair('floor: raw node:dgram server, atftp client, 1468×w16', c.w16Raw, c.w16Npm, 'npm tftp server');

    // What the speed costs: the machine's CPU seconds per transfer (client, server and kernel).
    const cpu = (k: Case) => (k.cpu?.length ? median(k.cpu) : undefined);
    const cpuPair = (name: string, ours: Case, base: Case, baselineName: string) => {
      const o = cpu(ours);
      const b = cpu(base);
      if (o === undefined || b === undefined) return;
      rows.push({
        name,
        ours: o,
        baseline: b,
        baselineName,
        unit: 'CPU s',
        higherIsBetter: false,
        runs: Math.min(ours.cpu!.length, base.cpu!.length),
      });
    };
    cpuPair('machine CPU per transfer, server, tftp-hpa client, lockstep 512', c.hpaOurs, c.hpaHpa, 'tftpd-hpa');
    cpuPair(`machine CPU per transfer, server (${polling}), lockstep 512`, c.hpaOursPolling, c.hpaHpa, 'tftpd-hpa');
    cpuPair('machine CPU per transfer, server, atftp client, 1468×w16', c.w16Ours, c.w16At, 'atftpd');
    cpuPair(`machine CPU per transfer, server (${polling}), 1468×w16`, c.w16OursPolling, c.w16At, 'atftpd');

    // The ceilings: raw node:dgram one way, 1472-byte datagrams (a 1468-byte block + 4).
    const floods: FloodRates[] = [];
    for (let r = 0; r < runs; r++) floods.push(await floodRate(1472, Math.max(20_000, Math.ceil(size / 1468))));
    const ceiling = (pick: (f: FloodRates) => number) => median(floods.map(pick));
    const ceilingRow = (name: string, k: Case, value: number, baselineName: string) => {
      const o = rate(k);
      if (o !== undefined)
        rows.push({ name, ours: o, baseline: value, baselineName, unit: 'MiB/s', higherIsBetter: true, runs });
    };
    ceilingRow(
      'server 1468×w16 (atftp client) vs the send ceiling',
      c.w16Ours,
      ceiling((f) => f.send),
      'raw node:dgram flood, sender',
    );
    ceilingRow(
      'client 1468×w16 (from atftpd) vs the receive ceiling',
      c.clientHashW16,
      ceiling((f) => f.receive),
      'raw node:dgram flood, receiver',
    );

    notes.push(
      `${size / MiB} MiB seeded file on loopback; ${runs} run(s) of every combination, interleaved (the order rotates each round); medians. Every received file was compared by sha256.`,
      "'server' rows: the same client program against our server (`createTftpServer`, in its own Node process) and against the baseline server. 'client' rows: our client library (in this process) against atftpd, compared with the atftp client (a fresh process per run, as it is used) or the npm client, against the same atftpd.",
      `'busyPoll' rows: the same server and client with the \`busyPoll: ${BUSY_POLL}\` option (the event loop polls for the peer's answer instead of sleeping; off by default): what it buys and, in the CPU rows, what it costs. CPU rows: the whole machine's busy CPU seconds (/proc/stat) during each transfer — client, server and kernel together, the only count that sees in.tftpd's per-transfer child — so other load on the machine shows up there too.`,
      "'floor' rows: raw-tftp-server.ts, the least a read-only server on node:dgram can do per block (file in memory, no checks, no retransmission, no limits), sleeping between datagrams as servers do. Busy polling removes the wake-ups it pays for (the busyPoll rows go beyond it in lockstep), not the one syscall per datagram (Node 20 has no sendmmsg) that bounds windowed transfers: where both miss a windowed goal, that goal is beyond this stack.",
      `Servers: tftpd-hpa \`in.tftpd -L -s -a 127.0.0.1:PORT ROOT\`; atftpd \`--daemon --no-fork\`; npm tftp \`createServer({ host, port, root, denyPUT })\`. Clients: tftp-hpa \`-m octet\` (no options), atftp with \`--option "blksize N" --option "windowsize W"\` (none at 512), npm \`createClient({ blockSize, windowSize })\`.`,
      ...cases.map(
        (k) =>
          `${k.key}: ${k.samples.length ? k.samples.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ') : 'no successful run'}`,
      ),
    );

    // ---- scale ------------------------------------------------------------------------------------
    await closeAll(servers);
    const st = ours.stats;
    if (st) {
      notes.push(
        `Our server over all these runs (its onTransferEnd totals): ${st.transfers} transfers (${st.failed} not ok, the probes included), ${st.blocks} blocks, ${st.retransmits} resends, ${st.timeouts} timeouts, ${st.duplicates} duplicate ACKs received.`,
      );
    }
    rows.push(...(await scale(quick, root, tmp, notes, failures)));

    return { title: '@udpkit/tftp vs tftpd-hpa, atftp(d) and the npm tftp package (loopback)', notes, rows, failures };
  } finally {
    await closeAll(servers);
    await rm(tmp, { recursive: true, force: true });
  }
}

async function closeAll(servers: ServerProcess[]): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

const CLIENT_CHILD = fileURLToPath(new URL('./client-child.js', import.meta.url));

interface ChildResult {
  ms: number;
  sha256: string;
  bytes: number;
  maxRss: number;
}

/** Our client in its own process (so its peak RSS is its own), hashing what it receives. */
function childDownload(port: number, remote: string, spec: ClientSpec): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLIENT_CHILD, JSON.stringify({ port, remote, ...spec })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`client child exited ${code}: ${stderr.trim().slice(0, 300)}`));
      else resolve(JSON.parse(stdout) as ChildResult);
    });
  });
}

async function scale(
  quick: boolean,
  root: string,
  tmp: string,
  notes: string[],
  failures: string[],
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // 500 (--quick: 50) concurrent 1 MiB downloads by our client library from one server process.
  const count = quick ? 50 : 500;
  const one = join(root, 'one.bin');
  const oneSha = await writeSeededFile(one, MiB, 0x1234);
  const server = await startNodeServer({ kind: 'udpkit', root });
  try {
    const idleRss = server.peakRss() ?? 0;
    const ep = makeNetworkEndpoint(HOST, server.port);
    const start = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: count }, () =>
        tftpGetBytes(ep, 'one.bin', { blksize: 1468, windowsize: 8, signal: AbortSignal.timeout(120_000) }),
      ),
    );
    const ms = performance.now() - start;
    const peak = server.peakRss() ?? 0;
    let bad = 0;
    let failed = 0;
    for (const r of results) {
      if (r.status === 'rejected') {
        failed++;
        if (failed <= 3) failures.push(`concurrent download failed: ${(r.reason as Error).message}`);
      } else if (sha256(r.value) !== oneSha) bad++;
    }
    if (bad) failures.push(`${bad} of ${count} concurrent downloads were not byte-identical`);
    if (failed > 3) failures.push(`… ${failed} of ${count} concurrent downloads failed in all`);
    rows.push(
      {
        name: `${count} concurrent 1 MiB downloads (1468×w8), wall time`,
        ours: ms / 1000,
        unit: 's',
        higherIsBetter: false,
        runs: 1,
      },
      {
        name: `${count} concurrent 1 MiB downloads, aggregate rate`,
        ours: (count * (count - failed)) / count / (ms / 1000),
        unit: 'MiB/s',
        higherIsBetter: true,
        runs: 1,
      },
      {
        name: `${count} concurrent downloads: server peak RSS (VmHWM)`,
        ours: peak / MiB,
        unit: 'MiB',
        higherIsBetter: false,
        runs: 1,
      },
    );
    notes.push(
      `Scale: ${count} concurrent \`tftpGetBytes\` of a 1 MiB file from one server process (limits raised to maxTransfers / maxTransfersPerClient 1024): ${count - failed - bad} byte-identical, ${failed} failed, ${bad} corrupt; server RSS ${(idleRss / MiB).toFixed(0)} MiB idle, peak ${(peak / MiB).toFixed(0)} MiB.`,
    );
  } finally {
    await server.close();
    await rm(one, { force: true });
  }
  if (quick) {
    notes.push('--quick: the 1 GiB download is skipped.');
    return rows;
  }

  // 1 GiB: peak RSS of both ends must stay flat — compared with the same ends after 64 MiB.
  const huge = join(tmp, 'huge');
  await mkdir(huge);
  const gib = 1 << 30;
  const hugeSha = await writeSeededFile(join(huge, 'huge.bin'), gib, 0x4242);
  await writeSeededFile(join(huge, 'small.bin'), 64 * MiB, 0x4243);
  const srv = await startNodeServer({ kind: 'udpkit', root: huge });
  try {
    const spec = { blksize: 1468, windowsize: 16 };
    const small = await childDownload(srv.port, 'small.bin', spec);
    const serverAfterSmall = srv.peakRss() ?? 0;
    const big = await childDownload(srv.port, 'huge.bin', spec);
    const serverAfterBig = srv.peakRss() ?? 0;
    if (big.sha256 !== hugeSha || big.bytes !== gib) failures.push('1 GiB download: not byte-identical');
    rows.push(
      {
        name: '1 GiB download, our client → our server, 1468×w16',
        ours: gib / MiB / (big.ms / 1000),
        unit: 'MiB/s',
        higherIsBetter: true,
        runs: 1,
      },
      {
        name: '1 GiB download: server peak RSS',
        ours: serverAfterBig / MiB,
        baseline: serverAfterSmall / MiB,
        baselineName: 'same server after a 64 MiB download',
        unit: 'MiB',
        higherIsBetter: false,
        goal: 0.8,
        runs: 1,
      },
      {
        name: '1 GiB download: client peak RSS',
        ours: big.maxRss / MiB,
        baseline: small.maxRss / MiB,
        baselineName: 'a 64 MiB download, same client code',
        unit: 'MiB',
        higherIsBetter: false,
        goal: 0.8,
        runs: 1,
      },
    );
    notes.push(
      `1 GiB: our client (\`tftpGet\` into a sha256 sink, in its own process) from our server (own process); peak RSS is VmHWM from /proc/PID/status for both (getrusage() maxrss would carry over the benchmark process's peak through fork + exec). "Flat" goal: at most 1.25× the peak after a 64 MiB download (ratio ≥ 0.8).`,
    );
  } finally {
    await srv.close();
    await rm(huge, { recursive: true, force: true });
  }
  return rows;
}
