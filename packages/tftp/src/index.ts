// @udpkit/tftp — TFTP client, server and handlers; see README.md. The `tftp` bin lives in cli/.
export * from './errors.js';
export * from './io/index.js';
export * from './protocol/index.js';
export * from './storage/index.js';
