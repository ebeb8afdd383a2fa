// The io layer: the protocol machines (protocol/) driven over @udpkit/datagram-channel.
//
// Decisions (see each file for the details and RFC references):
// - Seed 000's flow. Server: the first datagram arrives on the listening channel; every transfer
//   gets a fresh channel on an OS-chosen port (or one of `portRange`) that answers the client.
//   Client: the request goes out with send-to from a fresh unconnected channel; the first answer
//   from the server's address fixes the peer (cowan.md: connecting first would drop that answer).
// - Transfer IDs (RFC 1350 §4): channels stay unconnected and the driver checks each source, so a
//   stranger is seen and gets ERROR 5 (≤ 10 per second per transfer, never in answer to an
//   ERROR) while the transfer goes on. `unknownTid: 'drop'` connects the channel instead, and the
//   channel drops strangers silently (datagram-channel filters in user space).
// - Binding: the server listens on '::' by default (every address, IPv6 and IPv4 dual-stack;
//   '0.0.0.0' where IPv6 is missing), port 69; transfer channels bind the same address.
// - Limits: 512 concurrent transfers, 32 per client address (ERROR 3 "server busy" beyond);
//   3 retransmissions to a client that never answered (reflection); no answer to port 0,
//   broadcast, multicast or unspecified sources; only RRQ/WRQ are taken on the listening port.
// - Dally (RFC 1350 §6): the caller's Promise settles at `finish`; the dally timer is unref'd and
//   server.close() cuts dallies after `dallyCloseMs` (250 ms).
// - Uploads: the final ACK leaves only after the data is flushed and committed (server: renamed
//   into place; client downloads: written to the sink), so "done" on the wire means done.
export type { PortRange } from './channels.js';
export {
  type TftpClientOptions,
  type TftpGetFileOptions,
  type TftpPutOptions,
  tftpGet,
  tftpGetBytes,
  tftpGetFile,
  tftpGetStream,
  tftpPut,
  tftpPutFile,
} from './client.js';
export { DEFAULT_MAX_TRANSFERS, DEFAULT_MAX_TRANSFERS_PER_CLIENT } from './limits.js';
export { createTftpServer, type TftpServer, type TftpServerOptions } from './server.js';
export type { TftpGetSink } from './sinks.js';
export type { TftpPutSource } from './sources.js';
export type { TftpTransferEndInfo, TftpTransferInfo, TftpTransferStats } from './types.js';
