// The io layer: the protocol machines driven over @udpkit/datagram-channel (seed 000).
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
