// The parts of the npm `tftp` package (0.1.2, JavaScript, no types) the benchmark uses.
declare module 'tftp' {
  import type { EventEmitter } from 'node:events';

  interface NpmTftpOptions {
    host?: string;
    port?: number;
    blockSize?: number;
    windowSize?: number;
    retries?: number;
    timeout?: number;
  }
  interface NpmTftpServerOptions extends NpmTftpOptions {
    root?: string;
    denyGET?: boolean;
    denyPUT?: boolean;
  }
  interface NpmTftpServer extends EventEmitter {
    listen(): void;
    close(): void;
  }
  interface NpmTftpClient {
    get(remote: string, local: string, callback: (error?: Error) => void): void;
    put(local: string, remote: string, callback: (error?: Error) => void): void;
  }
  const tftp: {
    createServer(options?: NpmTftpServerOptions): NpmTftpServer;
    createClient(options?: NpmTftpOptions): NpmTftpClient;
  };
  export default tftp;
}
