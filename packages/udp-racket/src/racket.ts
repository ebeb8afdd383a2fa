// The `racket` map: every racket/udp binding under its exact Racket name, the very same
// function objects as the camelCase exports (DESIGN.md "Mapping"). Frozen.

import {
  isUdp,
  isUdpBound,
  isUdpConnected,
  udpAddresses,
  udpBind,
  udpClose,
  udpConnect,
  udpOpenSocket,
} from './lifecycle.js';
import {
  isUdpMulticastLoopback,
  udpMulticastInterface,
  udpMulticastJoinGroup,
  udpMulticastLeaveGroup,
  udpMulticastSetInterface,
  udpMulticastSetLoopback,
  udpMulticastSetTtl,
  udpMulticastTtl,
} from './multicast.js';
import { udpSetReceiveBufferSize, udpSetTtl, udpTtl } from './options.js';
import { udpReceive, udpReceiveEnableBreak, udpReceiveStar } from './receive.js';
import { udpSend, udpSendEnableBreak, udpSendStar, udpSendTo, udpSendToEnableBreak, udpSendToStar } from './send.js';
import { udpReceiveEvt, udpReceiveReadyEvt, udpSendEvt, udpSendReadyEvt, udpSendToEvt } from './udp-evts.js';

export const racket = Object.freeze({
  'udp-open-socket': udpOpenSocket,
  'udp-bind!': udpBind,
  'udp-connect!': udpConnect,
  'udp-send-to': udpSendTo,
  'udp-send': udpSend,
  'udp-send-to*': udpSendToStar,
  'udp-send*': udpSendStar,
  'udp-send-to/enable-break': udpSendToEnableBreak,
  'udp-send/enable-break': udpSendEnableBreak,
  'udp-receive!': udpReceive,
  'udp-receive!*': udpReceiveStar,
  'udp-receive!/enable-break': udpReceiveEnableBreak,
  'udp-set-receive-buffer-size!': udpSetReceiveBufferSize,
  'udp-close': udpClose,
  'udp?': isUdp,
  'udp-bound?': isUdpBound,
  'udp-connected?': isUdpConnected,
  'udp-send-ready-evt': udpSendReadyEvt,
  'udp-receive-ready-evt': udpReceiveReadyEvt,
  'udp-send-to-evt': udpSendToEvt,
  'udp-send-evt': udpSendEvt,
  'udp-receive!-evt': udpReceiveEvt,
  'udp-addresses': udpAddresses,
  'udp-set-ttl!': udpSetTtl,
  'udp-ttl': udpTtl,
  'udp-multicast-join-group!': udpMulticastJoinGroup,
  'udp-multicast-leave-group!': udpMulticastLeaveGroup,
  'udp-multicast-interface': udpMulticastInterface,
  'udp-multicast-set-interface!': udpMulticastSetInterface,
  'udp-multicast-set-loopback!': udpMulticastSetLoopback,
  'udp-multicast-loopback?': isUdpMulticastLoopback,
  'udp-multicast-set-ttl!': udpMulticastSetTtl,
  'udp-multicast-ttl': udpMulticastTtl,
} as const);
