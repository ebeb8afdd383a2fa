// The ceiling for the TFTP rows: raw node:dgram, one-way, datagrams of the size a 1468-byte TFTP
// block makes (1472 bytes), from a worker thread (a connected socket, sends in a tight loop that
// yields to the event loop every 256) to a receiver in this thread. Two rates: what the sender
// pushed through node:dgram (the ceiling for a Node TFTP server, which only sends DATA) and what
// arrived (the ceiling for a Node receiver: a flood loses datagrams when the receiver falls
// behind; only what arrives counts, from the first datagram to the last).

import { Worker } from 'node:worker_threads';
import { rawReceiver } from './raw-dgram.js';

const SENDER = `
const dgram = require('node:dgram');
const { parentPort, workerData } = require('node:worker_threads');
const s = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 << 20 });
const msg = Buffer.alloc(workerData.size, 0x5a);
const turn = () => new Promise((resolve) => setImmediate(resolve));
s.bind(0, '127.0.0.1', () => s.connect(workerData.port, '127.0.0.1', async () => {
  const start = performance.now();
  for (let i = 0; i < workerData.count; i++) {
    s.send(msg);
    if ((i & 255) === 255) await turn(); // let libuv flush the queued sends
  }
  await turn();
  const ms = performance.now() - start;
  s.close(() => parentPort.postMessage(ms));
}));
`;

export interface FloodRates {
  /** MiB/s the sender got through node:dgram (first send to last send callback). */
  send: number;
  /** MiB/s that arrived at the receiver (first to last datagram). */
  receive: number;
}

/** A one-way flood of `count` datagrams of `size` bytes: send and receive rates, MiB/s. */
export async function floodRate(size: number, count: number): Promise<FloodRates> {
  let bytes = 0;
  let first = 0;
  let last = 0;
  const receiver = await rawReceiver((msg) => {
    const now = performance.now();
    if (first === 0) first = now;
    last = now;
    bytes += msg.length;
  });
  const worker = new Worker(SENDER, { eval: true, workerData: { port: receiver.address().port, size, count } });
  let sendMs = 0;
  try {
    sendMs = await new Promise<number>((resolve, reject) => {
      worker.once('message', (ms: number) => resolve(ms));
      worker.once('error', reject);
    });
    // Drain what is still queued: stop when nothing arrived for 100 ms.
    for (let seen = -1; seen !== bytes; ) {
      seen = bytes;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await worker.terminate();
    receiver.close();
  }
  const mib = (n: number, ms: number) => (n === 0 || ms <= 0 ? 0 : n / (1 << 20) / (ms / 1000));
  return { send: mib(size * count, sendMs), receive: mib(bytes, last - first) };
}
