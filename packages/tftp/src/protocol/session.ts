// Convenience constructors for the io layer: one call from a decoded request to a started-ready
// machine (server) or from what the user asked to a machine (client).

import type { MachineTiming } from './machine.js';
import { negotiateServer, type RolloverBase, type ServerNegotiation, type ServerPolicy } from './options.js';
import { encodeError, type RequestPacket, type RrqPacket, type WrqPacket } from './packet.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';

export interface ServerTransferOptions extends MachineTiming {
  policy?: ServerPolicy;
  /** WRQ: largest upload accepted (see ReceiverConfig.maxSize). */
  maxSize?: number;
  dallyMs?: number;
}

export type ServerTransfer =
  | {
      readonly ok: true;
      /** RRQ → Sender, WRQ → Receiver; feed it `start` first. */
      readonly machine: Sender | Receiver;
      readonly negotiation: Extract<ServerNegotiation, { ok: true }>;
    }
  | {
      readonly ok: false;
      readonly error: { readonly code: number; readonly message: string };
      /** The ERROR datagram to send to the requester (from the transfer port); nothing else follows. */
      readonly bytes: Uint8Array;
    };

/** Server side: negotiate (RFC 2347) and build the machine for a decoded request. */
export function createServerTransfer(request: RequestPacket, options: ServerTransferOptions = {}): ServerTransfer {
  const n = negotiateServer(request, options.policy);
  if (!n.ok) return { ok: false, error: n.error, bytes: encodeError(n.error.code, n.error.message) };
  const { policy: _policy, maxSize, dallyMs, ...timing } = options;
  const machine =
    request.op === 'RRQ'
      ? new Sender({ ...timing, role: 'server', negotiation: n })
      : new Receiver({
          ...timing,
          role: 'server',
          negotiation: n,
          maxSize: maxSize ?? options.policy?.maxFileSize,
          dallyMs,
        });
  return { ok: true, machine, negotiation: n };
}

export interface ClientTransferOptions extends MachineTiming {
  /** RRQ: largest download accepted. */
  maxSize?: number;
  dallyMs?: number;
  rolloverBase?: RolloverBase;
}

/** Client side: RRQ → Receiver (download), WRQ → Sender (upload); feed it `start` first. */
export function createClientTransfer(request: RrqPacket, options?: ClientTransferOptions): Receiver;
export function createClientTransfer(request: WrqPacket, options?: ClientTransferOptions): Sender;
export function createClientTransfer(request: RequestPacket, options?: ClientTransferOptions): Sender | Receiver;
export function createClientTransfer(request: RequestPacket, options: ClientTransferOptions = {}): Sender | Receiver {
  const { maxSize, dallyMs, ...timing } = options;
  return request.op === 'RRQ'
    ? new Receiver({ ...timing, role: 'client', request, maxSize, dallyMs })
    : new Sender({ ...timing, role: 'client', request });
}

/** The same request without options: the retry after `fail` with `error.retryWithoutOptions` (RFC 2347). */
export function withoutOptions<R extends RequestPacket>(request: R): R {
  return { ...request, options: [] };
}
