// @udpkit/udp-racket — filled in by its issue; nothing is exported yet.
export {};
