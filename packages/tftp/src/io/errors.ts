// Transfer errors as the io layer reports them: the protocol's TftpTransferError, with every
// peer-controlled text sanitised for display and the message in the form
// `error 1 (file not found): <server message>` (RFC 1350 §5 codes).

import { sanitizePeerText, TftpTransferError, tftpErrorName } from '../protocol/errors.js';

/** The same error with a display-safe message and `peerMessage` (sanitised). */
export function displayError(error: TftpTransferError): TftpTransferError {
  if (error.code !== 'peer-error' || error.tftpCode === undefined) {
    if (error.peerMessage === undefined) return error;
  }
  const code = error.tftpCode;
  const peerMessage = error.peerMessage === undefined ? undefined : sanitizePeerText(error.peerMessage);
  const message =
    error.code === 'peer-error' && code !== undefined
      ? `error ${code} (${tftpErrorName(code)})${peerMessage ? `: ${peerMessage}` : ''}`
      : error.message;
  const out = new TftpTransferError(error.code, message, {
    tftpCode: code,
    peerMessage,
    retryWithoutOptions: error.retryWithoutOptions,
    cause: error.cause,
  });
  return out;
}

/** An error for a request we refused with ERROR `code` (server side). */
export function refusalError(code: number, message: string, cause?: unknown): TftpTransferError {
  return new TftpTransferError('aborted', `error ${code} (${tftpErrorName(code)}): ${sanitizePeerText(message)}`, {
    tftpCode: code,
    cause,
  });
}
