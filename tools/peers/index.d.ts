export declare const peersDir: string;
export type PeerName = 'racket' | 'tftp-hpa' | 'atftp' | 'curl' | 'in.tftpd' | 'atftpd';
export declare const PEERS: Record<
  PeerName,
  { deb: string; unpack?: boolean; paths: string[]; version?: [string, RegExp] }
>;
export declare const PEER_LIBRARIES: string[];
export declare function peerPath(name: PeerName): string | undefined;
export declare const peersRequired: boolean;
export declare function requirePeer(name: PeerName): string | undefined;
export * from './harness.js';
