// @udpkit/tftp protocol core: pure, sans-IO (no sockets, fs, clock or timers).
//
// Driving a machine (see machine.ts for the exact event/action types):
//   const m = createServerTransfer(request, { policy }) / createClientTransfer(request, timing)
//   perform(m.handle({ type: 'start' }, now))
//   on datagram from the peer:   perform(m.handle({ type: 'datagram', bytes }, now))   (or 'packet')
//   on timer expiry:             perform(m.handle({ type: 'timeout' }, now))
//   after filling need-data:     perform(m.handle({ type: 'data-written', length }, now))
//   to cancel:                   perform(m.handle({ type: 'abort', code, message }, now))
// Actions, in order: send · set-timer/clear-timer (one timer per machine) · negotiated ·
// need-data (sender) · deliver (receiver) · finish | fail · close (always last).

export { wideBlock, wireBlock } from './blocks.js';
export {
  isTftpTransferError,
  sanitizePeerText,
  TFTP_ERROR_MESSAGES,
  TftpErrorCode,
  TftpTransferError,
  type TftpTransferErrorOptions,
  type TransferErrorCode,
  tftpErrorMessage,
  tftpErrorName,
} from './errors.js';
export type {
  ClientSide,
  FinishReason,
  MachineAction,
  MachineEvent,
  MachineState,
  MachineTiming,
  ReceiverConfig,
  SenderConfig,
  ServerSide,
  TransferMachine,
  TransferStats,
} from './machine.js';
export {
  NetasciiDecoder,
  NetasciiEncoder,
  netasciiDecode,
  netasciiEncode,
  netasciiEncodedLength,
} from './netascii.js';
export {
  acceptOack,
  buildRequestOptions,
  type ClientOptionRequest,
  DEFAULT_MAX_WINDOW_BYTES,
  defaultParams,
  MAX_TIMEOUT,
  MAX_UTIMEOUT,
  MAX_WINDOWSIZE,
  MIN_BLKSIZE,
  MIN_TIMEOUT,
  MIN_UTIMEOUT,
  negotiateServer,
  type OackCheck,
  type RolloverBase,
  type ServerNegotiation,
  type ServerPolicy,
  type TransferParams,
} from './options.js';
export {
  type AckPacket,
  type DataPacket,
  DEFAULT_BLKSIZE,
  type DecodeLimits,
  type DecodeResult,
  decode,
  type ErrorPacket,
  encode,
  encodeAck,
  encodeError,
  encodingLength,
  getOption,
  MAX_BLKSIZE,
  MAX_FILENAME_LENGTH,
  MAX_OPTION_COUNT,
  MAX_OPTION_NAME_LENGTH,
  MAX_OPTION_VALUE_LENGTH,
  MAX_REQUEST_SIZE,
  MAX_SENT_REQUEST_SIZE,
  NUMERIC_OPTIONS,
  type OackPacket,
  Opcode,
  type OpName,
  type ParseError,
  type ParseErrorCode,
  type RequestPacket,
  type RrqPacket,
  type TftpOptions,
  type TftpPacket,
  type TransferMode,
  type WrqPacket,
  writeDataHeader,
} from './packet.js';
export { Receiver } from './receiver.js';
export { RtoEstimator, type RtoOptions } from './rto.js';
export { Sender } from './sender.js';
export {
  type ClientTransferOptions,
  createClientTransfer,
  createServerTransfer,
  type ServerTransfer,
  type ServerTransferOptions,
  withoutOptions,
} from './session.js';
