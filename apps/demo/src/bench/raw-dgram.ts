// The raw node:dgram baselines the udp-racket and datagram-channel sections measure against (and
// the flood ceiling of the TFTP section): a receiver socket, a worker thread firing bursts at it,
// and an echo server with a client connected to it for ping-pong. Each section times these its
// own way; only the sockets and the sender are shared, so every section measures the same thing.

import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';

export const HOST = '127.0.0.1';
/** Bytes per datagram of the flood and ping-pong rows. */
export const SIZE = 64;
/** Datagrams per burst: fits in the kernel buffer RCVBUF gives (rmem_max permitting). */
export const BURST = 4000;
/** Receive buffer asked for (the kernel doubles it: 8 MiB). */
export const RCVBUF = 4 << 20;

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

export interface Burster {
  /** Sends `count` datagrams while this thread sleeps; returns when they are all sent. */
  burst(count: number): void;
  close(): Promise<void>;
}

/** A burst sender of SIZE-byte datagrams to HOST:`port`, ready to fire. */
export async function startBurster(port: number): Promise<Burster> {
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

/** The raw receiver: a node:dgram socket (RCVBUF) bound to HOST on a free port, `onMessage` its 'message' listener. */
export async function rawReceiver(onMessage: (msg: Buffer) => void): Promise<dgram.Socket> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: RCVBUF });
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  s.on('message', onMessage);
  return s;
}

/** Raw ping-pong ends: an echo server and a client connected to it; `msg` is a SIZE-byte datagram. */
export interface RawEchoPair {
  client: dgram.Socket;
  msg: Buffer;
  close(): void;
}

export async function rawEchoPair(): Promise<RawEchoPair> {
  const server = dgram.createSocket('udp4');
  const client = dgram.createSocket('udp4');
  await new Promise<void>((r) => server.bind(0, HOST, () => r()));
  await new Promise<void>((r) => client.bind(0, HOST, () => r()));
  server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((r) => client.connect(server.address().port, HOST, () => r()));
  return {
    client,
    msg: Buffer.alloc(SIZE, 0x62),
    close() {
      server.close();
      client.close();
    },
  };
}
