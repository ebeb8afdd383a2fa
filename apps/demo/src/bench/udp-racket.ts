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
import { BURST, type Burster, HOST, RCVBUF, rawEchoPair, rawReceiver, SIZE, startBurster } from './raw-dgram.js';
import { type BenchOptions, type BenchRow, type BenchSection, median } from './report.js';

/** A receiver under test: its port and how many datagrams it has taken in so far. */
interface Receiver {
  port: number;
  received(): number;
  close(): Promise<void>;
}

/** Receive-path time of one burst: from the end of the burst to its last datagram. */
async function timeBurst(sender: Burster, r: Receiver): Promise<number> {
  const before = r.received();
  sender.burst(BURST);
  const t0 = performance.now();
  let last = t0;
  let seen = before;
  for (;;) {
    await new Promise<void>((res) => setImmediate(res));
    const now = performance.now();
    const n = r.received();
    if (n !== seen) {
      seen = n;
      last = now;
    } else if (now - last > 30) break;
  }
  return (seen - before) / ((last - t0) / 1000);
}

async function rawCounter(): Promise<Receiver> {
  let count = 0;
  const s = await rawReceiver(() => {
    count++;
  });
  return {
    port: s.address().port,
    received: () => count,
    close: async () => {
      s.close();
    },
  };
}

async function boundSocket(): Promise<[Udp, number]> {
  const u = await udpOpenSocket();
  await udpBind(u, HOST, 0);
  return [u, udpAddresses(u, true)[1]];
}

async function oursReceiver(): Promise<Receiver> {
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
  return {
    port,
    received: () => count,
    close: async () => {
      udpClose(u);
      await loop;
    },
  };
}

/** Flood: raw and ours receive alternate bursts; per-burst rates. */
async function flood(bursts: number): Promise<{ raw: number[]; ours: number[] }> {
  const raw = await rawCounter();
  const ours = await oursReceiver();
  const rawSender = await startBurster(raw.port);
  const oursSender = await startBurster(ours.port);
  const out = { raw: [] as number[], ours: [] as number[] };
  try {
    for (let i = 0; i < bursts; i++) {
      if (i % 2 === 0) {
        out.raw.push(await timeBurst(rawSender, raw));
        out.ours.push(await timeBurst(oursSender, ours));
      } else {
        out.ours.push(await timeBurst(oursSender, ours));
        out.raw.push(await timeBurst(rawSender, raw));
      }
    }
  } finally {
    await rawSender.close();
    await oursSender.close();
    await raw.close();
    await ours.close();
  }
  return out;
}

/** A ping-pong pair: `slice(n)` does n round trips and returns round trips per second. */
interface Pair {
  slice(n: number): Promise<number>;
  close(): Promise<void>;
}

async function rawPair(): Promise<Pair> {
  const pair = await rawEchoPair();
  const { client, msg } = pair;
  let left = 0;
  let done: () => void = () => {};
  client.on('message', () => {
    if (--left > 0) client.send(msg);
    else done();
  });
  return {
    async slice(n: number) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        left = n;
        done = resolve;
        client.send(msg);
      });
      return n / ((performance.now() - t0) / 1000);
    },
    async close() {
      pair.close();
    },
  };
}

async function oursPair(viaSync: boolean): Promise<Pair> {
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
  return {
    async slice(n: number) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        udpSendStar(client, msg);
        if (viaSync) await sync(udpReceiveEvt(client, buf));
        else await udpReceive(client, buf);
      }
      return n / ((performance.now() - t0) / 1000);
    },
    async close() {
      udpClose(server);
      udpClose(client);
      await echo;
    },
  };
}

type Contender = 'raw' | 'receive' | 'sync';

export async function run(options: BenchOptions): Promise<BenchSection> {
  // Slices of the contenders alternate (rotating who goes first), so that load changes on a
  // busy machine hit all of them alike; medians of the per-slice rates.
  const bursts = options.quick ? 4 : 30;
  const slices = options.quick ? 15 : 150;
  const perSlice = options.quick ? 50 : 200;
  await flood(2); // warm-up (JIT), not counted
  const floods = await flood(bursts);
  const pairs: Record<Contender, Pair> = {
    raw: await rawPair(),
    receive: await oursPair(false),
    sync: await oursPair(true),
  };
  const pingRuns: Record<Contender, number[]> = { raw: [], receive: [], sync: [] };
  const order: Contender[] = ['raw', 'receive', 'sync'];
  try {
    for (const c of order) await pairs[c].slice(perSlice * 5); // warm-up
    for (let i = 0; i < slices; i++) {
      const round = [...order.slice(i % 3), ...order.slice(0, i % 3)];
      for (const c of round) pingRuns[c].push(await pairs[c].slice(perSlice));
    }
  } finally {
    for (const c of order) await pairs[c].close();
  }
  const m = (xs: number[]) => Math.round(median(xs));
  const rows: BenchRow[] = [
    {
      name: `flood receive, ${SIZE}-byte datagrams (udpReceive loop)`,
      ours: m(floods.ours),
      baseline: m(floods.raw),
      baselineName: "raw node:dgram 'message' listener",
      unit: 'datagrams/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: bursts,
    },
    {
      name: `ping-pong, ${SIZE}-byte datagrams, one in flight (udpReceive + udpSendStar / udpSendToStar)`,
      ours: m(pingRuns.receive),
      baseline: m(pingRuns.raw),
      baselineName: 'raw node:dgram both ends',
      unit: 'round trips/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: slices,
    },
    {
      name: `ping-pong, ${SIZE}-byte datagrams, one in flight (sync(udpReceiveEvt) + udpSendStar / udpSendToStar)`,
      ours: m(pingRuns.sync),
      baseline: m(pingRuns.raw),
      baselineName: 'raw node:dgram both ends',
      unit: 'round trips/s',
      higherIsBetter: true,
      goal: 0.9,
      runs: slices,
    },
  ];
  return {
    title: '@udpkit/udp-racket vs raw node:dgram',
    notes: [
      'Flood: bursts of 4000 datagrams sent by a worker thread while the receiver sleeps, then drained; the rate is datagrams over receive-path time; raw and ours take alternate bursts (runs = bursts each).',
      'Ping-pong: client and echo server in one process, one datagram in flight; the three contenders run alternate slices of round trips (runs = slices each).',
    ],
    rows,
  };
}
