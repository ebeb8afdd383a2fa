// @udpkit/tftp — filled in by its issue; nothing is exported yet.
export {};
