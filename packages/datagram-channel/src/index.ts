// @udpkit/datagram-channel — John Cowan's datagram channels (R7RS-large proposal, seed 000) on
// @udpkit/udp-racket, with endpoints from @udpkit/endpoint. See README.md for the mapping table,
// the error cases and the extensions.

export type { WaitOptions } from './args.js';
export {
  DatagramChannel,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelDisconnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelRemoteEndpoint,
  datagramChannelSend,
  datagramChannelSendTo,
  isDatagramChannel,
  makeDatagramChannel,
  makeOutputOnlyDatagramChannel,
  type NetworkEndpoint,
  type ReceiveResult,
} from './channel.js';
export {
  datagramChannelBroadcast,
  datagramChannelDroppedCount,
  datagramChannelIncoming,
  datagramChannelMulticastJoinGroup,
  datagramChannelMulticastLeaveGroup,
  datagramChannelMulticastSetInterface,
  datagramChannelReceiveBufferSize,
  datagramChannelReceiveFromEvt,
  datagramChannelReceiveFromStar,
  datagramChannelRef,
  datagramChannelSendBufferSize,
  datagramChannelSetBroadcast,
  datagramChannelSetReceiveBufferSize,
  datagramChannelSetSendBufferSize,
  datagramChannelSetTtl,
  datagramChannelTtl,
  datagramChannelUnref,
  datagramChannelWatchReadable,
  type Evt,
  type HostLike,
  type IncomingDatagram,
  type IncomingOptions,
} from './extensions.js';
export { scheme } from './scheme.js';
