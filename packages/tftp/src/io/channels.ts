// Opening the datagram channels a transfer runs on (seed 000): an OS-chosen port (or one from a
// port range, for firewalls), socket buffers sized for big windows (reference/tftp.md: big
// blocks × big windows overflow the default ≈208 KiB receive buffer), and server names.

import {
  type DatagramChannel,
  datagramChannelReceiveBufferSize,
  datagramChannelSetReceiveBufferSize,
  datagramChannelSetSendBufferSize,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import {
  isNetworkEndpoint,
  makeNetworkEndpoint,
  type NetworkEndpoint,
  parseNetworkEndpoint,
  resolveNetworkEndpoint,
} from '@udpkit/endpoint';
import { isExnFailNetworkErrno } from '@udpkit/udp-racket';

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/**
 * A channel bound to `host` (an address string, or `true` for every local IPv4 address) on an
 * OS-chosen port, or on a free port of `range` (tried from a random start; EADDRINUSE moves on).
 */
export async function openTransferChannel(host: string | true, range?: PortRange): Promise<DatagramChannel> {
  if (range === undefined) return makeDatagramChannel(makeNetworkEndpoint(host, 0));
  const size = range.to - range.from + 1;
  const start = Math.floor(Math.random() * size);
  let last: unknown;
  for (let i = 0; i < size; i++) {
    const port = range.from + ((start + i) % size);
    try {
      return await makeDatagramChannel(makeNetworkEndpoint(host, port));
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      last = error;
    }
  }
  throw last ?? new Error('no free port in the transfer port range');
}

function isAddressInUse(error: unknown): boolean {
  return isExnFailNetworkErrno(error) && (error.errno[0] === 98 || error.errno[0] === 48);
}

/** Largest socket buffer we ask for (the kernel caps it at rmem_max / wmem_max anyway). */
const MAX_BUFFER = 8 * 1024 * 1024;
/** Below this many bytes in flight the default buffers (≈208 KiB) are plenty. */
const BIG_WINDOW = 64 * 1024;

/** Size the socket buffers for `windowsize` blocks of `blksize` bytes in flight (RFC 7440). */
export function sizeBuffers(ch: DatagramChannel, blksize: number, windowsize: number): void {
  // Each queued datagram also costs kernel overhead (≈256 bytes + headers): count it.
  const inFlight = windowsize * (blksize + 4 + 320);
  if (inFlight <= BIG_WINDOW) return;
  const want = Math.min(MAX_BUFFER, 2 * inFlight);
  try {
    datagramChannelSetReceiveBufferSize(ch, want);
    datagramChannelSetSendBufferSize(ch, want);
  } catch {
    // best effort: a smaller buffer only costs retransmissions
  }
}

/** What a queued datagram costs a receive buffer beyond its bytes (kernel skb + bookkeeping), roughly. */
const DATAGRAM_COST = 1024;

/**
 * Receiving `windowsize` blocks of `blksize` (server WRQ): grows the receive buffer as far as the
 * OS allows and returns the largest window that fits in it, so a window is never dropped by a
 * full buffer (reference/tftp.md: big blocks × big windows overflow default buffers).
 */
export function receiveWindowCap(ch: DatagramChannel, blksize: number, windowsize: number): number {
  sizeBuffers(ch, blksize, windowsize);
  let size: number;
  try {
    size = Number(datagramChannelReceiveBufferSize(ch));
  } catch {
    return windowsize;
  }
  if (!(size > 0)) return windowsize;
  return Math.max(1, Math.min(windowsize, Math.floor(size / (blksize + 4 + DATAGRAM_COST))));
}

/**
 * A client's `server` argument: `'host'`, `'host:port'`, `'[v6]:port'`, a bare IPv6 address
 * (port 69 by default, RFC 1350 §4) or an endpoint; a host name is looked up once here.
 */
export async function resolveServer(server: string | NetworkEndpoint, signal?: AbortSignal): Promise<NetworkEndpoint> {
  if (typeof server !== 'string' && !isNetworkEndpoint(server)) {
    // A plain { address, port } is not an endpoint: say so here, not as a failed transfer.
    throw new TypeError(
      `tftp: the server must be a string "HOST[:PORT]" or a NetworkEndpoint (makeNetworkEndpoint), got ${server === null ? 'null' : typeof server}`,
    );
  }
  let ep = typeof server === 'string' ? parseNetworkEndpoint(server, { defaultPort: 69 }) : server;
  if (ep.port === 0) ep = makeNetworkEndpoint(ep.host, 69);
  if (ep.address === true) return makeNetworkEndpoint('127.0.0.1', ep.port);
  if (ep.address === undefined) ep = await resolveNetworkEndpoint(ep, signal === undefined ? {} : { signal });
  return ep;
}

/** The client's channel: unconnected (cowan.md: send-to, then lock on the answer), the server's family. */
export function openClientChannel(server: NetworkEndpoint): Promise<DatagramChannel> {
  return server.family === 6 ? makeDatagramChannel(makeNetworkEndpoint('::', 0)) : makeDatagramChannel();
}
