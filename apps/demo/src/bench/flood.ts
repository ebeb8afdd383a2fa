// The ceiling for the TFTP rows: raw node:dgram, one-way, datagrams of the size a 1468-byte TFTP
// block makes (1472 bytes), from a worker thread to a receiver in this thread. Only what arrives
// counts (a flood loses datagrams when the receiver falls behind); the rate is bytes received
// over the time from the first datagram to the last.

import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { HOST } from './peers.js';

const SENDER = `
const dgram = require('node:dgram');
const { parentPort, workerData } = require('node:worker_threads');
const s = dgram.createSocket('udp4');
const msg = Buffer.alloc(workerData.size, 0x5a);
s.bind(0, '127.0.0.1', () => s.connect(workerData.port, '127.0.0.1', () => {
  let sent = 0, inFlight = 0;
  const pump = () => {
    while (inFlight < 64 && sent < workerData.count) {
      inFlight++; sent++;
      s.send(msg, () => { inFlight--; if (sent < workerData.count) pump(); else if (inFlight === 0) { s.close(); parentPort.postMessage('done'); } });
    }
  };
  pump();
}));
`;

/** Received MiB/s of a one-way flood of `count` datagrams of `size` bytes. */
export async function floodRate(size: number, count: number): Promise<number> {
  const receiver = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
  await new Promise<void>((resolve) => receiver.bind(0, HOST, () => resolve()));
  let bytes = 0;
  let first = 0;
  let last = 0;
  receiver.on('message', (msg) => {
    const now = performance.now();
    if (first === 0) first = now;
    last = now;
    bytes += msg.length;
  });
  const worker = new Worker(SENDER, { eval: true, workerData: { port: receiver.address().port, size, count } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
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
  if (bytes === 0 || last <= first) return 0;
  return bytes / (1 << 20) / ((last - first) / 1000);
}
