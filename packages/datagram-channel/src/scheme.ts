// The frozen map keyed by the spec's exact names (seed 000), so code ported from Scheme can look
// procedures up by their original names: `scheme['datagram-channel-send-to']`. Each value is the
// very same function object as the camelCase export. Extensions are not in it.

import {
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
} from './channel.js';

export const scheme = Object.freeze({
  'make-datagram-channel': makeDatagramChannel,
  'make-output-only-datagram-channel': makeOutputOnlyDatagramChannel,
  'datagram-channel?': isDatagramChannel,
  'datagram-channel-local-endpoint': datagramChannelLocalEndpoint,
  'datagram-channel-send-to': datagramChannelSendTo,
  'datagram-channel-receive-from': datagramChannelReceiveFrom,
  'datagram-channel-connect!': datagramChannelConnect,
  'datagram-channel-disconnect!': datagramChannelDisconnect,
  'datagram-channel-remote-endpoint': datagramChannelRemoteEndpoint,
  'datagram-channel-send': datagramChannelSend,
  'datagram-channel-close': datagramChannelClose,
} as const);
