// The interface between the server's io layer and whatever stores files (DESIGN.md "TFTP
// architecture": storage/ is a root-confined filesystem store and a handler interface for virtual
// files). The io layer owns the protocol (options, netascii conversion, blocks); a handler only
// sees local bytes.

/** The requesting peer, as the server's listening channel saw it. */
export interface TftpRemote {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

/** Transfer mode of the request (RFC 1350 §1; `mail` is refused by the protocol layer). */
export type TftpMode = 'octet' | 'netascii';

/** What every request carries. */
export interface TftpRequest {
  /** The filename exactly as the peer sent it (not normalised, not trusted). */
  readonly filename: string;
  /**
   * Informational: the io layer converts netascii on the wire to and from local bytes itself,
   * so a handler always reads and writes plain local bytes.
   */
  readonly mode: TftpMode;
  readonly remote: TftpRemote;
  /** Aborted when the transfer ends early (peer error, timeout, server shutdown). */
  readonly signal: AbortSignal;
}

/** A read request (RRQ). */
export interface TftpReadRequest extends TftpRequest {}

/** A write request (WRQ). */
export interface TftpWriteRequest extends TftpRequest {
  /** The size the peer declared with the `tsize` option (RFC 2349), if it sent one. */
  readonly size?: number;
}

/**
 * The bytes of a file being read. Iterate it once (`for await`), pulling only as fast as the
 * transfer goes (that is the backpressure). Chunks may have any length (cut them into blocks
 * yourself); the consumer may keep them but must not modify them. Iteration may reject — with a
 * `TftpError` (e.g. 0 `file changed during transfer`) or anything else: send `toTftpError(e)`.
 *
 * The io layer MUST call `close()` when the transfer ends in any way — success, error, abort,
 * or never started iterating (e.g. the peer rejected the OACK with ERROR 8). `close()` is
 * idempotent and never rejects.
 */
export interface ReadSource extends AsyncIterable<Uint8Array>, AsyncDisposable {
  /**
   * Exact count of local bytes if known — the server answers `tsize` with it in octet mode only
   * (in netascii the wire size differs and is not knowable up front: omit tsize then).
   */
  readonly size: number | undefined;
  close(): Promise<void>;
}

/**
 * Where the bytes of an upload go. Nothing is visible until `commit()` resolves.
 *
 * The io layer calls `write()` sequentially (awaiting each) with local bytes; the sink must copy a
 * chunk it keeps after `write()` resolves. After the last block: `commit()`. On any failure
 * (peer error, timeout, a rejected `write()`): `abort(reason)`. `abort()` is idempotent, never
 * rejects, and is a no-op after a successful commit. A `write()` or `commit()` may reject with a
 * `TftpError` (e.g. 3 when the file gets too large); the sink has then already discarded
 * everything, and the io layer sends that error to the peer.
 */
export interface WriteSink extends AsyncDisposable {
  write(chunk: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

/**
 * A source of files for the server. Either member may be missing: the server then answers
 * ERROR 1 (file not found) to reads and ERROR 2 (access violation) to writes.
 *
 * A rejection with a `TftpError` is sent to the peer as `ERROR errorCode message`; any other
 * rejection goes through `toTftpError()` (errno mapping, otherwise ERROR 0 with a generic text).
 */
export interface TftpHandler {
  openRead?(request: TftpReadRequest): Promise<ReadSource>;
  openWrite?(request: TftpWriteRequest): Promise<WriteSink>;
}
