// @udpkit/datagram-channel against raw node:dgram, in the same run, alternating, medians.
//
// - flood receive: a worker thread fires bursts of 64-byte datagrams at a loopback port while
//   the main thread sleeps, so each burst waits in the kernel buffer; we time the receiver
//   draining it (receive-path cost only: no sender competes for the CPU, which matters on a
//   small machine). Raw: a 'message' listener. Ours: a datagramChannelReceiveFrom loop into one
//   buffer.
// - ping-pong: one datagram in flight between a client and an echo server in this process; round
//   trips per second. Raw: node:dgram both ends. Ours: channel API both ends (server:
//   receive-from + send-to; client: connected channel, send + receive-from).

import {
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelSend,
  datagramChannelSendTo,
  datagramChannelSetReceiveBufferSize,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import { makeNetworkEndpoint } from '@udpkit/endpoint';
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceiveDatagram,
  udpSendToStar,
  udpSetReceiveBufferSize,
} from '@udpkit/udp-racket';
import { BURST, HOST, RCVBUF, rawEchoPair, rawReceiver, SIZE, startBurster } from './raw-dgram.js';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

/** Datagrams per second of wall-clock time and per second of CPU time (user + system). */
interface Rate {
  wall: number;
  cpu: number;
}

/** What a flood receiver counts; `done` is called when `n` reaches `target`. */
interface Counter {
  n: number;
  target: number;
  done: (() => void) | null;
}

function tick(c: Counter): void {
  if (++c.n === c.target && c.done !== null) c.done();
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** `count` per second of wall-clock time since `t0` and of CPU time since `cpu0`. */
function rateSince(count: number, t0: number, cpu0: NodeJS.CpuUsage): Rate {
  const seconds = (performance.now() - t0) / 1000;
  return { wall: count / seconds, cpu: count / cpuSeconds(cpu0) };
}

/**
 * Drains bursts of BURST datagrams; the time of a burst runs from its end (all sent, nothing read
 * yet) to its last datagram received. Polls every 5 ms only to notice drops (then the burst ends
 * at the last progress seen).
 */
async function drain(port: number, bursts: number, c: Counter): Promise<Rate> {
  const sender = await startBurster(port);
  let total = 0;
  let wall = 0;
  let cpu = 0;
  try {
    for (let b = 0; b < bursts; b++) {
      const before = c.n;
      c.target = before + BURST;
      let finished = false;
      const all = new Promise<void>((resolve) => {
        c.done = () => {
          finished = true;
          resolve();
        };
      });
      sender.burst(BURST);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let end = t0;
      let endCpu = 0;
      let seen = before;
      while (!finished) {
        const timer = new Promise<void>((r) => setTimeout(r, 5));
        await Promise.race([all, timer]);
        if (finished) break;
        const now = performance.now();
        if (c.n !== seen) {
          seen = c.n;
          end = now;
          endCpu = cpuSeconds(cpu0);
        } else if (now - end > 100) break; // dropped datagrams: stop at the last progress
      }
      if (finished) {
        end = performance.now();
        endCpu = cpuSeconds(cpu0);
      }
      c.done = null;
      total += c.n - before;
      wall += (end - t0) / 1000;
      cpu += endCpu;
    }
  } finally {
    await sender.close();
  }
  return { wall: total / wall, cpu: total / cpu };
}

/** Raw node:dgram receive: a 'message' listener. */
async function floodRaw(bursts: number): Promise<Rate> {
  const c: Counter = { n: 0, target: -1, done: null };
  const s = await rawReceiver(() => tick(c));
  try {
    return await drain(s.address().port, bursts, c);
  } finally {
    s.close();
  }
}

/** Channel API receive: a datagramChannelReceiveFrom loop into one buffer. */
async function floodOurs(bursts: number): Promise<Rate> {
  const ch = await makeDatagramChannel(makeNetworkEndpoint(HOST, 0));
  datagramChannelSetReceiveBufferSize(ch, RCVBUF);
  const local = datagramChannelLocalEndpoint(ch);
  if (local === false) throw new Error('unbound');
  const c: Counter = { n: 0, target: -1, done: null };
  const buf = new Uint8Array(2048);
  const loop = (async () => {
    try {
      for (;;) {
        await datagramChannelReceiveFrom(ch, buf);
        tick(c);
      }
    } catch {
      // closed: done
    }
  })();
  try {
    return await drain(local.port, bursts, c);
  } finally {
    datagramChannelClose(ch);
    await loop;
  }
}

/** Raw node:dgram ping-pong: round trips per second. */
async function pingPongRaw(ms: number): Promise<Rate> {
  const pair = await rawEchoPair();
  const { client, msg } = pair;
  let count = 0;
  let deadline = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  deadline = t0 + ms;
  await new Promise<void>((resolve) => {
    client.on('message', () => {
      count++;
      if (performance.now() >= deadline) resolve();
      else client.send(msg);
    });
    client.send(msg);
  });
  const rate = rateSince(count, t0, cpu0);
  pair.close();
  return rate;
}

/** Channel API ping-pong: round trips per second. */
async function pingPongOurs(ms: number): Promise<Rate> {
  const server = await makeDatagramChannel(makeNetworkEndpoint(HOST, 0));
  const client = await makeDatagramChannel(makeNetworkEndpoint(HOST, 0));
  const serverEp = datagramChannelLocalEndpoint(server);
  if (serverEp === false) throw new Error('unbound');
  const echo = (async () => {
    const buf = new Uint8Array(2048);
    try {
      for (;;) {
        const [from, , n] = await datagramChannelReceiveFrom(server, buf);
        await datagramChannelSendTo(server, from, buf, 0, n);
      }
    } catch {
      // closed
    }
  })();
  await datagramChannelConnect(client, serverEp);
  const msg = new Uint8Array(SIZE).fill(0x62);
  const buf = new Uint8Array(2048);
  let count = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + ms;
  do {
    await datagramChannelSend(client, msg);
    await datagramChannelReceiveFrom(client, buf);
    count++;
  } while (performance.now() < deadline);
  const rate = rateSince(count, t0, cpu0);
  datagramChannelClose(server);
  datagramChannelClose(client);
  await echo;
  return rate;
}

/** udp-racket directly (the layer below, for attribution): a udpReceiveDatagram loop. */
async function floodRacket(bursts: number): Promise<Rate> {
  const u = await udpOpenSocket(HOST, false);
  await udpBind(u, HOST, 0);
  udpSetReceiveBufferSize(u, RCVBUF);
  const port = (udpAddresses(u, true) as [string, number, string, number])[1];
  const c: Counter = { n: 0, target: -1, done: null };
  const buf = new Uint8Array(2048);
  const loop = (async () => {
    try {
      for (;;) {
        await udpReceiveDatagram(u, buf, 0, buf.length);
        tick(c);
      }
    } catch {
      // closed: done
    }
  })();
  try {
    return await drain(port, bursts, c);
  } finally {
    udpClose(u);
    await loop;
  }
}

/** udp-racket directly: udpSendToStar + udpReceiveDatagram at both ends. */
async function pingPongRacket(ms: number): Promise<Rate> {
  const server = await udpOpenSocket(HOST, false);
  await udpBind(server, HOST, 0);
  const client = await udpOpenSocket(HOST, false);
  await udpBind(client, HOST, 0);
  const serverPort = (udpAddresses(server, true) as [string, number, string, number])[1];
  const echo = (async () => {
    const buf = new Uint8Array(2048);
    try {
      for (;;) {
        const [n, host, port] = await udpReceiveDatagram(server, buf, 0, buf.length);
        udpSendToStar(server, host, port, buf, 0, n);
      }
    } catch {
      // closed
    }
  })();
  const msg = new Uint8Array(SIZE).fill(0x62);
  const buf = new Uint8Array(2048);
  let count = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + ms;
  do {
    udpSendToStar(client, HOST, serverPort, msg);
    await udpReceiveDatagram(client, buf, 0, buf.length);
    count++;
  } while (performance.now() < deadline);
  const rate = rateSince(count, t0, cpu0);
  udpClose(server);
  udpClose(client);
  await echo;
  return rate;
}

type Contender = 'raw' | 'ours' | 'racket';

export async function run(options: BenchOptions): Promise<BenchSection> {
  const repeats = options.quick ? 3 : 7;
  const ms = options.quick ? 150 : 1000;
  const bursts = options.quick ? 2 : 10;
  const flood: Record<Contender, (n: number) => Promise<Rate>> = {
    raw: floodRaw,
    ours: floodOurs,
    racket: floodRacket,
  };
  const ping: Record<Contender, (ms: number) => Promise<Rate>> = {
    raw: pingPongRaw,
    ours: pingPongOurs,
    racket: pingPongRacket,
  };
  const floods: Record<Contender, Rate[]> = { raw: [], ours: [], racket: [] };
  const pings: Record<Contender, Rate[]> = { raw: [], ours: [], racket: [] };
  const order: Contender[] = ['raw', 'ours', 'racket'];
  // warm-up of every path (JIT), not counted
  for (const c of order) {
    await flood[c](2);
    await ping[c](Math.min(ms, 200));
  }
  for (let i = 0; i < repeats; i++) {
    // rotate which goes first
    const round = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const c of round) floods[c].push(await flood[c](bursts));
    for (const c of round) pings[c].push(await ping[c](ms));
  }
  const wall = (xs: Rate[]) => Math.round(median(xs.map((x) => x.wall)));
  const cpu = (xs: Rate[]) => Math.round(median(xs.map((x) => x.cpu)));
  const row = (
    name: string,
    unit: string,
    ours: number,
    baseline: number,
    baselineName: string,
    goal?: number,
  ): BenchRow => {
    const r: BenchRow = { name, ours, baseline, baselineName, unit, higherIsBetter: true, runs: repeats };
    if (goal !== undefined) r.goal = goal;
    return r;
  };
  const RAW_LISTENER = "raw node:dgram 'message' listener";
  const RAW_BOTH = 'raw node:dgram both ends';
  const RACKET = '@udpkit/udp-racket called directly';
  const rows: BenchRow[] = [
    row(
      `flood receive, ${SIZE}-byte datagrams (datagramChannelReceiveFrom loop)`,
      'datagrams/s',
      wall(floods.ours),
      wall(floods.raw),
      RAW_LISTENER,
      0.85,
    ),
    row(
      `ping-pong, ${SIZE}-byte datagrams, one in flight (send / receive-from / send-to)`,
      'round trips/s',
      wall(pings.ours),
      wall(pings.raw),
      RAW_BOTH,
      0.85,
    ),
    row(
      'flood receive, per CPU-second (same runs)',
      'datagrams/CPU-s',
      cpu(floods.ours),
      cpu(floods.raw),
      RAW_LISTENER,
      0.85,
    ),
    row('ping-pong, per CPU-second (same runs)', 'round trips/CPU-s', cpu(pings.ours), cpu(pings.raw), RAW_BOTH, 0.85),
    row(
      'flood receive, per CPU-second: the channel layer alone',
      'datagrams/CPU-s',
      cpu(floods.ours),
      cpu(floods.racket),
      RACKET,
    ),
    row(
      'ping-pong, per CPU-second: the channel layer alone',
      'round trips/CPU-s',
      cpu(pings.ours),
      cpu(pings.racket),
      RACKET,
    ),
  ];
  return {
    title: '@udpkit/datagram-channel vs raw node:dgram (IPv4 loopback)',
    notes: [
      `${repeats} rounds, each running every contender once (the order rotates), medians.`,
      `Flood: ${bursts} bursts of ${BURST} datagrams per run, sent by a worker thread while the receiver sleeps, then drained; rate = datagrams received / time from the end of a burst to its last datagram.`,
      `Ping-pong: ${ms} ms per run, one datagram in flight, both ends in this process.`,
      'Per CPU-second rows divide the same counts by the process CPU time (user + system) instead of wall time: steadier when other work shares the machine.',
      'The last two rows compare the channel layer with the layer below it (udp-racket called the same way), to show where the cost is.',
    ],
    rows,
  };
}
