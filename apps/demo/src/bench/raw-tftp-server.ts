// The floor for any TFTP server on node:dgram: the least a read-only server can do per block —
// the whole file in memory, no checks, no retransmission, no limits, no events — so that the
// benchmark can show how far the goals are from what Node itself allows. RRQ only, octet,
// blksize and windowsize (RFC 2348 / RFC 7440) when asked; never for real use.

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RawTftpServer {
  close(): Promise<void>;
}

export function startRawTftpServer(root: string, host: string, port: number): Promise<RawTftpServer> {
  const listener = dgram.createSocket('udp4');
  const transfers = new Set<dgram.Socket>();
  listener.on('message', (msg, peer) => {
    if (msg.length < 4 || msg[1] !== 1) return;
    const fields = msg.toString('latin1', 2).split('\0');
    const options = new Map<string, string>();
    for (let i = 2; i + 1 < fields.length; i += 2) options.set(fields[i]!.toLowerCase(), fields[i + 1]!);
    let data: Buffer;
    try {
      data = readFileSync(join(root, fields[0]!));
    } catch {
      listener.send(Buffer.from('\0\x05\0\x01File not found\0', 'latin1'), peer.port, peer.address);
      return;
    }
    serve(data, options, peer, transfers, host);
  });
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.bind(port, host, () =>
      resolve({
        close: async () => {
          for (const s of transfers) s.close();
          await new Promise<void>((done) => listener.close(() => done()));
        },
      }),
    );
  });
}

function serve(
  data: Buffer,
  options: Map<string, string>,
  peer: dgram.RemoteInfo,
  transfers: Set<dgram.Socket>,
  host: string,
): void {
  const blksize = Number(options.get('blksize') ?? 512);
  const windowsize = Number(options.get('windowsize') ?? 1);
  const last = Math.floor(data.length / blksize) + 1;
  // One buffer per window slot: node:dgram sends on a later tick (after its address lookup).
  const packets = Array.from({ length: windowsize }, () => {
    const p = Buffer.alloc(4 + blksize);
    p[1] = 3;
    return p;
  });
  const s = dgram.createSocket('udp4');
  transfers.add(s);
  let acked = 0;
  const sendWindow = () => {
    for (let block = acked + 1; block <= acked + windowsize && block <= last; block++) {
      const offset = (block - 1) * blksize;
      const n = Math.max(0, Math.min(blksize, data.length - offset));
      const packet = packets[(block - acked - 1) % windowsize]!;
      packet.writeUInt16BE(block & 0xffff, 2);
      data.copy(packet, 4, offset, offset + n);
      s.send(packet, 0, 4 + n, peer.port, peer.address);
    }
  };
  s.on('message', (m) => {
    if (m.length < 4 || m[1] !== 4) return;
    const block = acked + ((m.readUInt16BE(2) - acked) & 0xffff);
    if (block > acked + windowsize) return;
    acked = block;
    if (acked >= last) {
      transfers.delete(s);
      s.close();
    } else sendWindow();
  });
  s.bind(0, host, () => {
    if (options.has('blksize') || options.has('windowsize')) {
      let oack = '\0\x06';
      if (options.has('blksize')) oack += `blksize\0${blksize}\0`;
      if (options.has('windowsize')) oack += `windowsize\0${windowsize}\0`;
      s.send(Buffer.from(oack, 'latin1'), peer.port, peer.address);
    } else sendWindow();
  });
}
