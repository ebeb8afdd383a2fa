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

import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
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
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

const HOST = '127.0.0.1';
const SIZE = 64;
/** Datagrams per burst: fits in the 8 MiB kernel buffer RCVBUF gives (rmem_max permitting). */
const BURST = 4000;
const RCVBUF = 4 << 20;

// The burst sender: a worker thread that, on each request, sends `count` datagrams to `port` and
// then wakes the main thread, which sleeps (Atomics.wait) meanwhile so that nothing is read
// before the burst is complete: every burst waits in the socket's kernel buffer, and the
// receiver is then timed draining it with no sender competing for the CPU.
const SENDER_CODE = `
const dgram = require('node:dgram');
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
const s = dgram.createSocket('udp4');
const msg = Buffer.alloc(workerData.size, 0x61);
s.bind(0, '127.0.0.1', () => s.connect(workerData.port, '127.0.0.1', () => {
  parentPort.on('message', (count) => {
    if (count === 0) { s.close(); return; }
    let left = count;
    const done = () => {
      if (--left === 0) { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
    };
    for (let i = 0; i < count; i++) s.send(msg, done);
  });
  parentPort.postMessage('ready');
}));
`;

interface Burster {
  /** Sends `count` datagrams while this thread sleeps; returns when they are all sent. */
  burst(count: number): void;
  close(): Promise<void>;
}

async function startBurster(port: number): Promise<Burster> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(SENDER_CODE, { eval: true, workerData: { port, size: SIZE, flag: flag.buffer } });
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return {
    burst(count: number) {
      Atomics.store(flag, 0, 0);
      w.postMessage(count);
      Atomics.wait(flag, 0, 0, 5000);
    },
    async close() {
      w.postMessage(0);
      await w.terminate();
    },
  };
}

/**
 * Drains bursts of BURST datagrams; returns datagrams per second of receive-path time (from the
 * end of each burst to its last datagram). `received()` counts what the receiver took in.
 */
async function drain(port: number, bursts: number, received: () => number): Promise<number> {
  const sender = await startBurster(port);
  let total = 0;
  let time = 0;
  try {
    for (let b = 0; b < bursts; b++) {
      const before = received();
      sender.burst(BURST);
      const t0 = performance.now();
      let last = t0;
      let seen = before;
      // wait until the count stops moving for 30 ms
      for (;;) {
        await new Promise<void>((r) => setImmediate(r));
        const now = performance.now();
        const n = received();
        if (n !== seen) {
          seen = n;
          last = now;
        } else if (now - last > 30) break;
      }
      total += seen - before;
      time += last - t0;
    }
  } finally {
    await sender.close();
  }
  return total / (time / 1000);
}

/** Raw node:dgram receive: a 'message' listener. */
async function floodRaw(bursts: number): Promise<number> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: RCVBUF });
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  let count = 0;
  s.on('message', () => {
    count++;
  });
  try {
    return await drain(s.address().port, bursts, () => count);
  } finally {
    s.close();
  }
}

/** Channel API receive: a datagramChannelReceiveFrom loop into one buffer. */
async function floodOurs(bursts: number): Promise<number> {
  const ch = await makeDatagramChannel(makeNetworkEndpoint(HOST, 0));
  await datagramChannelSetReceiveBufferSize(ch, RCVBUF);
  const local = datagramChannelLocalEndpoint(ch);
  if (local === false) throw new Error('unbound');
  let count = 0;
  const buf = new Uint8Array(2048);
  const loop = (async () => {
    try {
      for (;;) {
        await datagramChannelReceiveFrom(ch, buf);
        count++;
      }
    } catch {
      // closed: done
    }
  })();
  try {
    return await drain(local.port, bursts, () => count);
  } finally {
    datagramChannelClose(ch);
    await loop;
  }
}

/** Raw node:dgram ping-pong: round trips per second. */
async function pingPongRaw(ms: number): Promise<number> {
  const server = dgram.createSocket('udp4');
  const client = dgram.createSocket('udp4');
  await new Promise<void>((r) => server.bind(0, HOST, () => r()));
  await new Promise<void>((r) => client.bind(0, HOST, () => r()));
  const serverPort = server.address().port;
  server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((r) => client.connect(serverPort, HOST, () => r()));
  const msg = Buffer.alloc(SIZE, 0x62);
  let count = 0;
  let deadline = 0;
  const t0 = performance.now();
  deadline = t0 + ms;
  await new Promise<void>((resolve) => {
    client.on('message', () => {
      count++;
      if (performance.now() >= deadline) resolve();
      else client.send(msg);
    });
    client.send(msg);
  });
  const seconds = (performance.now() - t0) / 1000;
  server.close();
  client.close();
  return count / seconds;
}

/** Channel API ping-pong: round trips per second. */
async function pingPongOurs(ms: number): Promise<number> {
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
  const deadline = t0 + ms;
  do {
    await datagramChannelSend(client, msg);
    await datagramChannelReceiveFrom(client, buf);
    count++;
  } while (performance.now() < deadline);
  const seconds = (performance.now() - t0) / 1000;
  datagramChannelClose(server);
  datagramChannelClose(client);
  await echo;
  return count / seconds;
}

/** udp-racket directly (the layer below, for attribution): a udpReceiveDatagram loop. */
async function floodRacket(bursts: number): Promise<number> {
  const u = await udpOpenSocket(HOST, false);
  await udpBind(u, HOST, 0);
  udpSetReceiveBufferSize(u, RCVBUF);
  const port = (udpAddresses(u, true) as [string, number, string, number])[1];
  let count = 0;
  const buf = new Uint8Array(2048);
  const loop = (async () => {
    try {
      for (;;) {
        await udpReceiveDatagram(u, buf, 0, buf.length);
        count++;
      }
    } catch {
      // closed: done
    }
  })();
  try {
    return await drain(port, bursts, () => count);
  } finally {
    udpClose(u);
    await loop;
  }
}

/** udp-racket directly: udpSendToStar + udpReceiveDatagram at both ends. */
async function pingPongRacket(ms: number): Promise<number> {
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
  const deadline = t0 + ms;
  do {
    udpSendToStar(client, HOST, serverPort, msg);
    await udpReceiveDatagram(client, buf, 0, buf.length);
    count++;
  } while (performance.now() < deadline);
  const seconds = (performance.now() - t0) / 1000;
  udpClose(server);
  udpClose(client);
  await echo;
  return count / seconds;
}

type Contender = 'raw' | 'ours' | 'racket';

export async function run(options: BenchOptions): Promise<BenchSection> {
  const repeats = options.quick ? 3 : 7;
  const ms = options.quick ? 150 : 1000;
  const bursts = options.quick ? 2 : 10;
  const flood: Record<Contender, (n: number) => Promise<number>> = {
    raw: floodRaw,
    ours: floodOurs,
    racket: floodRacket,
  };
  const ping: Record<Contender, (ms: number) => Promise<number>> = {
    raw: pingPongRaw,
    ours: pingPongOurs,
    racket: pingPongRacket,
  };
  const floods: Record<Contender, number[]> = { raw: [], ours: [], racket: [] };
  const pings: Record<Contender, number[]> = { raw: [], ours: [], racket: [] };
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
  const m = (xs: number[]) => Math.round(median(xs));
  const rows: BenchRow[] = [
    {
      name: `flood receive, ${SIZE}-byte datagrams (datagramChannelReceiveFrom loop)`,
      ours: m(floods.ours),
      baseline: m(floods.raw),
      baselineName: "raw node:dgram 'message' listener",
      unit: 'datagrams/s',
      higherIsBetter: true,
      goal: 0.85,
      runs: repeats,
    },
    {
      name: `ping-pong, ${SIZE}-byte datagrams, one in flight (channel send / receive-from / send-to)`,
      ours: m(pings.ours),
      baseline: m(pings.raw),
      baselineName: 'raw node:dgram both ends',
      unit: 'round trips/s',
      higherIsBetter: true,
      goal: 0.85,
      runs: repeats,
    },
    {
      name: 'flood receive: the channel layer alone (channel vs udp-racket udpReceiveDatagram loop)',
      ours: m(floods.ours),
      baseline: m(floods.racket),
      baselineName: '@udpkit/udp-racket directly',
      unit: 'datagrams/s',
      higherIsBetter: true,
      runs: repeats,
    },
    {
      name: 'ping-pong: the channel layer alone (channel vs udp-racket udpSendToStar + udpReceiveDatagram)',
      ours: m(pings.ours),
      baseline: m(pings.racket),
      baselineName: '@udpkit/udp-racket directly',
      unit: 'round trips/s',
      higherIsBetter: true,
      runs: repeats,
    },
  ];
  return {
    title: '@udpkit/datagram-channel vs raw node:dgram (IPv4 loopback)',
    notes: [
      `${repeats} rounds, each running every contender once (the order rotates), medians.`,
      `Flood: ${bursts} bursts of ${BURST} datagrams per run, sent by a worker thread while the receiver sleeps, then drained; rate = datagrams received / time from the end of a burst to its last datagram.`,
      `Ping-pong: ${ms} ms per run, one datagram in flight, both ends in this process.`,
      'The last two rows compare the channel layer with the layer below it (udp-racket called directly the same way), to show where the cost is.',
    ],
    rows,
  };
}
