// @udpkit/udp-racket — Racket's racket/udp on node:dgram, with Racket's evts and sync.
// See README.md for the full mapping table (Racket name → TS name → signature).

export type { BreakOptions } from './breaks.js';
export type { RacketErrno } from './errno.js';
export { errnoOf, GAI_STRERROR, STRERROR, systemErrorText } from './errno.js';
export type { EvtResult, Unwatch, Wake } from './evt.js';
export {
  alwaysEvt,
  choiceEvt,
  Evt,
  handleEvt,
  isEvt,
  neverEvt,
  PrimitiveEvt,
  sync,
  syncEnableBreak,
  syncTimeout,
  wrapEvt,
} from './evt.js';
export {
  Exn,
  ExnBreak,
  ExnFail,
  ExnFailContract,
  ExnFailContractArity,
  ExnFailNetwork,
  ExnFailNetworkErrno,
  type ExnKind,
  isExn,
  isExnBreak,
  isExnFail,
  isExnFailContract,
  isExnFailContractArity,
  isExnFailNetwork,
  isExnFailNetworkErrno,
} from './exn.js';
export {
  udpBroadcast,
  udpDroppedCount,
  udpReceiveBufferSize,
  udpReceiveDatagram,
  udpReceiveDatagramEvt,
  udpReceiveDatagramStar,
  udpRef,
  udpSendBufferSize,
  udpSendToAny,
  udpSetBroadcast,
  udpSetSendBufferSize,
  udpUnref,
} from './extensions.js';
export {
  isUdp,
  isUdpBound,
  isUdpConnected,
  udpAddresses,
  udpBind,
  udpClose,
  udpConnect,
  udpOpenSocket,
} from './lifecycle.js';
export {
  isUdpMulticastLoopback,
  udpMulticastInterface,
  udpMulticastJoinGroup,
  udpMulticastLeaveGroup,
  udpMulticastSetInterface,
  udpMulticastSetLoopback,
  udpMulticastSetTtl,
  udpMulticastTtl,
} from './multicast.js';
export { udpSetReceiveBufferSize, udpSetTtl, udpTtl } from './options.js';
export { errorValueToString, racketPrint, racketWrite } from './print.js';
export { racket } from './racket.js';
export type { DatagramResult, ReceiveResult } from './receive.js';
export { udpReceive, udpReceiveEnableBreak, udpReceiveStar } from './receive.js';
export { udpSend, udpSendEnableBreak, udpSendStar, udpSendTo, udpSendToEnableBreak, udpSendToStar } from './send.js';
export type { Udp } from './socket.js';
export { udpReceiveEvt, udpReceiveReadyEvt, udpSendEvt, udpSendReadyEvt, udpSendToEvt } from './udp-evts.js';
