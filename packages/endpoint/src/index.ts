// @udpkit/endpoint — Cowan's NetworkEndpoints (R7RS-large proposal) for Node.js.

import {
  isNetworkEndpoint,
  makeNetworkEndpoint,
  networkEndpointBytevectorAddress,
  networkEndpointHost,
  networkEndpointPort,
  networkEndpointStringAddress,
} from './endpoint.js';

export {
  type NetworkAddressInfo,
  networkEndpointFromAddressInfo,
  networkEndpointToAddressInfo,
  type ToAddressInfoOptions,
} from './addressinfo.js';
export {
  isNetworkEndpoint,
  makeNetworkEndpoint,
  type NetworkEndpoint,
  type NetworkHost,
  type NetworkPort,
  networkEndpointBytevectorAddress,
  networkEndpointFamily,
  networkEndpointHost,
  networkEndpointPort,
  networkEndpointStringAddress,
} from './endpoint.js';
export { networkEndpointEqual, networkEndpointKey } from './equal.js';
export {
  isNetworkEndpointError,
  NetworkEndpointError,
  type NetworkEndpointErrorCode,
  type NetworkEndpointErrorOptions,
} from './errors.js';
export { type ParseNetworkEndpointOptions, parseNetworkEndpoint } from './parse.js';
export {
  type NetworkEndpointLookup,
  type ResolveNetworkEndpointOptions,
  resolveNetworkEndpoint,
  resolveNetworkEndpointAll,
} from './resolve.js';
export { lookupServicePort } from './services.js';

/** The six procedures under their exact spec names, e.g. `scheme['make-network-endpoint']`. */
export const scheme = Object.freeze({
  'make-network-endpoint': makeNetworkEndpoint,
  'network-endpoint?': isNetworkEndpoint,
  'network-endpoint-bytevector-address': networkEndpointBytevectorAddress,
  'network-endpoint-string-address': networkEndpointStringAddress,
  'network-endpoint-host': networkEndpointHost,
  'network-endpoint-port': networkEndpointPort,
});
