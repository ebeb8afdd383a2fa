// @udpkit/tftp — filled in by its issue; nothing is exported yet.
export * from './errors.js';
export * from './io/index.js';
export * from './protocol/index.js';
export * from './storage/index.js';
