// @udpkit/datagram-channel: the request/response shape of Cowan's seed text, done by hand — a
// tiny lockstep file transfer in TFTP's packet format. The server takes the first datagram on its
// well-known channel, opens a fresh channel on an OS-chosen port, connects it to the client and
// answers there; the client sends its request unconnected (send-to), then connects to whoever
// answered. A stranger's datagram sent to the connected client is ignored.

import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelRemoteEndpoint,
  datagramChannelSend,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import { makeNetworkEndpoint, type NetworkEndpoint, networkEndpointEqual, networkEndpointPort } from '@udpkit/endpoint';
import { seededBytes, sha256 } from '../content.js';
import { check, type Step } from './step.js';

const BLOCK = 512;
const FILE_SIZE = 64 * 1024 + 100;
const RRQ = 1;
const DATA = 3;
const ACK = 4;

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

function packet(opcode: number, block: number, payload?: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + (payload?.length ?? 0));
  out[1] = opcode;
  out[2] = block >> 8;
  out[3] = block & 0xff;
  if (payload) out.set(payload, 4);
  return out;
}

/** Receive with a timeout: undefined when nothing came in `ms`. */
async function receive(channel: DatagramChannel, buf: Uint8Array, ms: number) {
  try {
    return await datagramChannelReceiveFrom(channel, buf, { signal: AbortSignal.timeout(ms) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return undefined;
    throw error;
  }
}

async function serve(listening: DatagramChannel, file: Uint8Array): Promise<{ transferPort: number; sent: number }> {
  const buf = new Uint8Array(BLOCK + 4);
  const [client, , n] = await datagramChannelReceiveFrom(listening, buf, { signal: AbortSignal.timeout(5000) });
  check(n > 2 && u16(buf, 0) === RRQ, 'the first datagram is a read request');
  // A fresh channel on an OS-chosen port, connected to the client: the transfer's own TID.
  const transfer = await makeDatagramChannel(makeNetworkEndpoint('127.0.0.1', 0));
  try {
    await datagramChannelConnect(transfer, client);
    const local = datagramChannelLocalEndpoint(transfer) as NetworkEndpoint;
    let sent = 0;
    const blocks = Math.floor(file.length / BLOCK) + 1; // the last one is short (maybe empty)
    for (let block = 1; block <= blocks; block++) {
      const data = packet(DATA, block & 0xffff, file.subarray((block - 1) * BLOCK, block * BLOCK));
      for (let tries = 0; ; tries++) {
        check(tries < 5, `block ${block} acknowledged`);
        await datagramChannelSend(transfer, data);
        sent++;
        const got = await receive(transfer, buf, 500);
        if (got && got[2] === 4 && u16(buf, 0) === ACK && u16(buf, 2) === (block & 0xffff)) break;
      }
    }
    return { transferPort: networkEndpointPort(local), sent };
  } finally {
    datagramChannelClose(transfer);
  }
}

async function fetch(server: NetworkEndpoint, size: number, stranger: DatagramChannel): Promise<[Uint8Array, number]> {
  const ch = await makeDatagramChannel(makeNetworkEndpoint('127.0.0.1', 0));
  try {
    const request = new Uint8Array([0, RRQ, ...new TextEncoder().encode('demo.bin\0octet\0')]);
    await datagramChannelSendTo(ch, server, request);
    const out = new Uint8Array(size);
    const buf = new Uint8Array(BLOCK + 4);
    let expected = 1;
    let length = 0;
    let transferPort = 0;
    for (;;) {
      const got = await receive(ch, buf, 2000);
      check(got, `DATA ${expected} arrives`);
      const [from, complete, n] = got;
      check(complete && u16(buf, 0) === DATA, 'only DATA packets reach the client');
      if (expected === 1 && datagramChannelRemoteEndpoint(ch) === false) {
        // The first answer names the server's transfer port: connect to it from now on.
        await datagramChannelConnect(ch, from);
        transferPort = networkEndpointPort(from);
        check(transferPort !== networkEndpointPort(server), 'the answer comes from a new port');
        // A stranger writes to the client now: the connected channel must ignore it.
        const me = datagramChannelLocalEndpoint(ch) as NetworkEndpoint;
        await datagramChannelSendTo(stranger, me, packet(DATA, 2, new Uint8Array(BLOCK).fill(0x21)));
      }
      check(networkEndpointEqual(from, datagramChannelRemoteEndpoint(ch) as NetworkEndpoint), 'from the peer only');
      const block = u16(buf, 2);
      if (block === (expected & 0xffff)) {
        out.set(buf.subarray(4, n), length);
        length += n - 4;
        expected++;
      }
      await datagramChannelSend(ch, packet(ACK, block));
      if (block === ((expected - 1) & 0xffff) && n - 4 < BLOCK) break;
    }
    return [out.subarray(0, length), transferPort];
  } finally {
    datagramChannelClose(ch);
  }
}

export const channelTransferStep: Step = {
  name: 'datagram-channel: TFTP-shaped transfer',
  async run() {
    const file = seededBytes(FILE_SIZE, 7);
    const listening = await makeDatagramChannel(makeNetworkEndpoint('127.0.0.1', 0));
    const stranger = await makeDatagramChannel(makeNetworkEndpoint('127.0.0.1', 0));
    try {
      const server = datagramChannelLocalEndpoint(listening) as NetworkEndpoint;
      const [served, [got, clientSawPort]] = await Promise.all([
        serve(listening, file),
        fetch(server, FILE_SIZE, stranger),
      ]);
      check(served.transferPort === clientSawPort, 'client connected to the transfer port');
      const match = sha256(got) === sha256(file);
      return {
        ok: match,
        bytes: got.length,
        sha256: match,
        note: `RRQ to :${networkEndpointPort(server)}, ${served.sent} DATA from :${served.transferPort}; stranger ignored`,
      };
    } finally {
      datagramChannelClose(stranger);
      datagramChannelClose(listening);
    }
  },
};

export const datagramChannelSteps: Step[] = [channelTransferStep];
