// @udpkit/udp-racket against raw node:dgram, in the same run, alternating, medians.
//
// - flood receive: a worker thread fires bursts of 64-byte datagrams at a loopback port while
//   the main thread sleeps (Atomics.wait), so each burst waits in the kernel buffer; we time the
//   receiver draining it — receive-path cost only, no sender competing for the CPU. Raw: a
//   'message' listener counting. Ours: a `udpReceive` loop into one buffer.
// - ping-pong: one 64-byte datagram in flight between a client and an echo server in this
//   process; round trips per second. Raw: node:dgram both ends ('message' + send). Ours:
//   `udpReceive` + `udpSendToStar` on the server, connected client `udpSendStar` + `udpReceive`;
//   and the same with the receives done through `sync(udpReceiveEvt(…))`.

import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import {
  sync,
  type Udp,
  udpAddresses,
  udpBind,
  udpClose,
  udpConnect,
  udpOpenSocket,
  udpReceive,
  udpReceiveEvt,
  udpSendStar,
  udpSendToStar,
  udpSetReceiveBufferSize,
} from '@udpkit/udp-racket';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

const HOST = '127.0.0.1';
const SIZE = 64;
/** Datagrams per burst: fits in the kernel buffer RCVBUF gives (rmem_max permitting). */
const BURST = 4000;
const RCVBUF = 4 << 20;

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

/** Datagrams per second of receive-path time over `bursts` bursts (end of burst → last datagram). */
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

async function boundSocket(): Promise<[Udp, number]> {
  const u = await udpOpenSocket();
  await udpBind(u, HOST, 0);
  return [u, (udpAddresses(u, true) as [string, number, string, number])[1]];
}

async function floodOurs(bursts: number): Promise<number> {
  const [u, port] = await boundSocket();
  udpSetReceiveBufferSize(u, RCVBUF);
  let count = 0;
  const buf = new Uint8Array(2048);
  const loop = (async () => {
    try {
      for (;;) {
        await udpReceive(u, buf);
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

async function pingPongRaw(ms: number): Promise<number> {
  const server = dgram.createSocket('udp4');
  const client = dgram.createSocket('udp4');
  await new Promise<void>((r) => server.bind(0, HOST, () => r()));
  await new Promise<void>((r) => client.bind(0, HOST, () => r()));
  server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((r) => client.connect(server.address().port, HOST, () => r()));
  const msg = Buffer.alloc(SIZE, 0x62);
  let count = 0;
  const t0 = performance.now();
  const deadline = t0 + ms;
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

async function pingPongOurs(ms: number, viaSync: boolean): Promise<number> {
  const [server, serverPort] = await boundSocket();
  const [client] = await boundSocket();
  await udpConnect(client, HOST, serverPort);
  const echo = (async () => {
    const buf = new Uint8Array(2048);
    try {
      for (;;) {
        const [n, host, port] = viaSync ? await sync(udpReceiveEvt(server, buf)) : await udpReceive(server, buf);
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
    udpSendStar(client, msg);
    if (viaSync) await sync(udpReceiveEvt(client, buf));
    else await udpReceive(client, buf);
    count++;
  } while (performance.now() < deadline);
  const seconds = (performance.now() - t0) / 1000;
  udpClose(server);
  udpClose(client);
  await echo;
  return count / seconds;
}

type Contender = 'raw' | 'receive' | 'sync';

export async function run(options: BenchOptions): Promise<BenchSection> {
  const repeats = options.quick ? 3 : 7;
  const ms = options.quick ? 150 : 1000;
  const bursts = options.quick ? 2 : 10;
  const floodRuns: Record<'raw' | 'receive', number[]> = { raw: [], receive: [] };
  const pingRuns: Record<Contender, number[]> = { raw: [], receive: [], sync: [] };
  const ping: Record<Contender, (ms: number) => Promise<number>> = {
    raw: pingPongRaw,
    receive: (t) => pingPongOurs(t, false),
    sync: (t) => pingPongOurs(t, true),
  };
  // warm-up (JIT), not counted
  await floodRaw(2);
  await floodOurs(2);
  for (const c of ['raw', 'receive', 'sync'] as const) await ping[c](Math.min(ms, 200));
  for (let i = 0; i < repeats; i++) {
    // alternate which goes first
    if (i % 2 === 0) {
      floodRuns.raw.push(await floodRaw(bursts));
      floodRuns.receive.push(await floodOurs(bursts));
    } else {
      floodRuns.receive.push(await floodOurs(bursts));
      floodRuns.raw.push(await floodRaw(bursts));
    }
    const order: Contender[] = ['raw', 'receive', 'sync'];
    const round = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const c of round) pingRuns[c].push(await ping[c](ms));
  }
  const m = (xs: number[]) => Math.round(median(xs));
  const rows: BenchRow[] = [
    {
      name: `flood receive, ${SIZE}-byte datagrams (udpReceive loop)`,
      ours: m(floodRuns.receive),
      baseline: m(floodRuns.raw),
      baselineName: "raw node:dgram 'message' listener",
      unit: 'datagrams/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: repeats,
    },
    {
      name: `ping-pong, ${SIZE}-byte datagrams, one in flight (udpReceive + udpSendStar / udpSendToStar)`,
      ours: m(pingRuns.receive),
      baseline: m(pingRuns.raw),
      baselineName: 'raw node:dgram both ends',
      unit: 'round trips/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: repeats,
    },
    {
      name: `ping-pong, ${SIZE}-byte datagrams, one in flight (sync(udpReceiveEvt) + udpSendStar / udpSendToStar)`,
      ours: m(pingRuns.sync),
      baseline: m(pingRuns.raw),
      baselineName: 'raw node:dgram both ends',
      unit: 'round trips/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: repeats,
    },
  ];
  return {
    title: '@udpkit/udp-racket vs raw node:dgram',
    notes: [
      'Flood: bursts of 4000 datagrams sent by a worker thread while the receiver sleeps, then drained; the rate is datagrams over receive-path time.',
      'Ping-pong: client and echo server in one process, one datagram in flight.',
    ],
    rows,
  };
}
