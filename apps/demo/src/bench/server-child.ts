// A TFTP server in its own process, for the benchmark: ours (createTftpServer), the npm `tftp`
// package's, or the raw node:dgram floor (raw-tftp-server.ts). Argument: JSON { kind, root, port,
// allowWrite?, busyPoll? }. Prints `listening PORT` when ready;
// exits on SIGTERM/SIGINT after closing the server. Running servers in a child process keeps their
// CPU and memory apart from the clients', so peak RSS (VmHWM) is the server's own.

import { createTftpServer } from '@udpkit/tftp';
import tftp from 'tftp';
import { startRawTftpServer } from './raw-tftp-server.js';

interface Spec {
  kind: 'udpkit' | 'npm-tftp' | 'raw-dgram';
  root: string;
  port: number;
  allowWrite?: boolean;
  /** Ours: the busyPoll option (µs). */
  busyPoll?: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
let close: () => Promise<void> | void;
/** Totals over every transfer our server ran, printed at exit (`stats {…}`) for the report. */
const totals = { transfers: 0, failed: 0, blocks: 0, retransmits: 0, timeouts: 0, duplicates: 0 };

if (spec.kind === 'udpkit') {
  const server = createTftpServer({
    root: spec.root,
    host: '127.0.0.1',
    port: spec.port,
    allowWrite: spec.allowWrite ?? false,
    allowCreate: spec.allowWrite ?? false,
    allowOverwrite: spec.allowWrite ?? false,
    maxTransfers: 1024,
    maxTransfersPerClient: 1024,
    ...(spec.busyPoll === undefined ? {} : { busyPoll: spec.busyPoll }),
    onTransferEnd(info) {
      totals.transfers++;
      if (!info.ok) totals.failed++;
      totals.blocks += info.stats.blocks;
      totals.retransmits += info.stats.retransmits;
      totals.timeouts += info.stats.timeouts;
      totals.duplicates += info.stats.duplicates;
    },
  });
  await server.listen();
  close = () => server.close();
} else if (spec.kind === 'raw-dgram') {
  const server = await startRawTftpServer(spec.root, '127.0.0.1', spec.port);
  close = () => server.close();
} else {
  const server = tftp.createServer({ host: '127.0.0.1', port: spec.port, root: spec.root, denyPUT: !spec.allowWrite });
  server.on('error', (error: Error) => {
    process.stderr.write(`npm tftp server error: ${error.message}\n`);
  });
  // Its README: without an 'error' listener on each request, a failed request (e.g. a missing
  // file) crashes the whole server.
  server.on('request', (req: NodeJS.EventEmitter) => {
    req.on('error', () => {});
  });
  await new Promise<void>((resolve) => {
    server.once('listening', () => resolve());
    server.listen();
  });
  close = () => server.close();
}
process.stdout.write(`listening ${spec.port}\n`);

const stop = async () => {
  await close();
  if (spec.kind === 'udpkit') process.stdout.write(`stats ${JSON.stringify(totals)}\n`);
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
