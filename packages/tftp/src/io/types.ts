// Types shared by the io layer's client and server: what a finished transfer reports.

import type { TftpTransferError } from '../protocol/errors.js';
import type { FinishReason, TransferStats } from '../protocol/machine.js';
import type { TftpOptions } from '../protocol/packet.js';
import type { TftpMode, TftpRemote } from '../storage/handler.js';

/**
 * The protocol machine's statistics (bytes on the wire, blocks, retransmits, duplicates, timeouts,
 * duration, negotiated parameters, OACK, smoothed RTT) plus what the io layer knows.
 */
export interface TftpTransferStats extends TransferStats {
  /**
   * Local bytes read or written (differs from `bytes` in netascii mode). A server's read that
   * failed counts what the client acknowledged (`bytes`), not what was read ahead from the file.
   */
  readonly localBytes: number;
  /** The client retried without options after the server refused them (RFC 2347). */
  readonly plainRetry: boolean;
}

/** What `onTransferStart` gets. Every peer-controlled string here is sanitised for display. */
export interface TftpTransferInfo {
  /** Increasing id of the transfer within this server. */
  readonly id: number;
  /** 'read' = RRQ (the client downloads), 'write' = WRQ (the client uploads). */
  readonly op: 'read' | 'write';
  /** The requested filename, sanitised (`sanitizePeerText`): safe to log as is. */
  readonly filename: string;
  readonly mode: TftpMode;
  /** The requester; an IPv4-mapped IPv6 address is reported as IPv4. */
  readonly remote: TftpRemote;
  /** The options the client asked for, names and values sanitised. */
  readonly options: TftpOptions;
}

/** What `onTransferEnd` gets: the start info plus the outcome. */
export interface TftpTransferEndInfo extends TftpTransferInfo {
  /** True for a complete transfer and for a client's option probe (UEFI: OACK read, then ERROR 8). */
  readonly ok: boolean;
  /** Why it ended well: 'complete' or 'option-probe'. Undefined when `ok` is false. */
  readonly reason: FinishReason | undefined;
  /** Why it failed (refusals included: `tftpCode` is the ERROR sent). Its texts are sanitised. */
  readonly error: TftpTransferError | undefined;
  readonly stats: TftpTransferStats;
  /** Milliseconds from the request's arrival to the end. */
  readonly durationMs: number;
  /** The options acknowledged by OACK (undefined: a plain RFC 1350 transfer or a refusal). */
  readonly oack: TftpOptions | undefined;
}
