export { composeHandlers, defineHandler, openReadFrom, openWriteTo } from './compose.js';
export { createFsHandler, type FsHandlerOptions } from './fs.js';
export type {
  ReadSource,
  TftpHandler,
  TftpMode,
  TftpReadRequest,
  TftpRemote,
  TftpRequest,
  TftpWriteRequest,
  WriteSink,
} from './handler.js';
export { createMemoryHandler, type MemoryHandlerOptions } from './memory.js';
export {
  type FilenamePolicy,
  type FilenameRefusal,
  type FilenameResult,
  isInsideRoot,
  resolveTftpFilename,
} from './path.js';
export { type MemorySinkOptions, memorySink, type WriteSinkImpl, type WriteSinkOptions, writeSink } from './sink.js';
export { type ReadBody, type ReadSourceOptions, readSource } from './source.js';
