// @udpkit/tftp: a real server (createTftpServer) on an ephemeral loopback port serving a generated
// temp folder, and our client library against it — octet and netascii, plain RFC 1350 and with
// blksize/windowsize, an upload into a writable root, and refusals (path traversal → ERROR 2,
// missing file → ERROR 1). Every transfer is checked by sha256 against the bytes on disk.

import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkEndpoint } from '@udpkit/endpoint';
import {
  createTftpServer,
  isTftpTransferError,
  type TftpClientOptions,
  type TftpServer,
  type TftpTransferEndInfo,
  type TftpTransferStats,
  tftpGet,
  tftpGetBytes,
  tftpGetFile,
  tftpPut,
} from '@udpkit/tftp';
import { seededBytes, seededText, sha256, sha256File, writeSeededFile } from '../content.js';
import { check, type Step, type StepContext, type StepOutcome } from './step.js';

const MiB = 1 << 20;

interface Fixture {
  server: TftpServer;
  endpoint: NetworkEndpoint;
  root: string;
  files: Map<string, string>; // name → sha256
  ended: TftpTransferEndInfo[];
}

const describeOptions = (o: TftpClientOptions) =>
  o.options === false
    ? 'plain RFC 1350 (no options)'
    : [o.blksize && `blksize ${o.blksize}`, o.windowsize && `windowsize ${o.windowsize}`].filter(Boolean).join(', ') ||
      'tsize only';

/** The TFTP steps share one server; the last step closes it (and main's cleanup does if a step threw). */
export function tftpSteps(): Step[] {
  let fx: Fixture | undefined;
  const need = () => {
    check(fx, 'the server is running');
    return fx;
  };
  const timeout = (ctx: StepContext, ms = 15_000) => AbortSignal.any([ctx.signal, AbortSignal.timeout(ms)]);

  const get = (name: string, file: string, options: TftpClientOptions, toFile = false): Step => ({
    name,
    async run(ctx): Promise<StepOutcome> {
      const { endpoint, files } = need();
      let got: string;
      let bytes: number;
      let stats: TftpTransferStats;
      if (toFile) {
        const local = join(ctx.tmp, `download-${file}`);
        stats = await tftpGetFile(endpoint, file, local, { ...options, overwrite: true, signal: timeout(ctx) });
        got = await sha256File(local);
        bytes = (await stat(local)).size;
      } else {
        const hash = createHash('sha256');
        bytes = 0;
        stats = await tftpGet(
          endpoint,
          file,
          (chunk) => {
            hash.update(chunk);
            bytes += chunk.length;
          },
          { ...options, signal: timeout(ctx) },
        );
        got = hash.digest('hex');
      }
      const match = got === files.get(file);
      const { blksize, windowsize } = stats.params;
      return {
        ok: match,
        bytes,
        sha256: match,
        note: `${options.mode ?? 'octet'}, ${describeOptions(options)}${toFile ? ' (tftpGetFile)' : ''}: ${stats.blocks} blocks of ${blksize}${
          windowsize > 1 ? ` in windows of ${windowsize}` : ''
        }, ${stats.retransmits} resent`,
      };
    },
  });

  const refused = (name: string, file: string, code: number): Step => ({
    name,
    async run(ctx) {
      const { endpoint } = need();
      try {
        await tftpGetBytes(endpoint, file, { signal: timeout(ctx, 5000) });
      } catch (error) {
        check(isTftpTransferError(error), `a TftpTransferError (got ${String(error)})`);
        check(
          error.code === 'peer-error' && error.tftpCode === code,
          `ERROR ${code} (got ${error.code} ${error.tftpCode})`,
        );
        return { ok: true, note: `${JSON.stringify(file)} → ERROR ${code} ${JSON.stringify(error.peerMessage ?? '')}` };
      }
      return { ok: false, note: `${JSON.stringify(file)} was served: it must be refused with ERROR ${code}` };
    },
  });

  return [
    {
      name: 'tftp: server on an ephemeral port',
      async run(ctx) {
        const root = join(ctx.tmp, 'tftp-root');
        await mkdir(root);
        const files = new Map<string, string>();
        files.set('small.bin', await writeSeededFile(join(root, 'small.bin'), 256 * 1024 + 7, 1));
        files.set('medium.bin', await writeSeededFile(join(root, 'medium.bin'), 4 * MiB + 123, 2));
        const text = seededText(20_000, 3);
        await writeFile(join(root, 'notes.txt'), text);
        files.set('notes.txt', sha256(text));
        const ended: TftpTransferEndInfo[] = [];
        const server = createTftpServer({
          root,
          host: '127.0.0.1',
          port: 0,
          allowWrite: true,
          allowCreate: true,
          onTransferEnd: (info) => {
            ended.push(info);
          },
        });
        ctx.cleanup.push(() => server.close({ force: true }));
        const endpoint = await server.listen();
        check(endpoint.port !== 0, 'a real port');
        fx = { server, endpoint, root, files, ended };
        return { ok: true, note: `serving ${files.size} generated files from a temp root on ${String(endpoint)}` };
      },
    },
    get('tftp: get octet, lockstep', 'small.bin', { options: false }),
    get('tftp: get octet, blksize 1468', 'medium.bin', { blksize: 1468 }),
    get('tftp: get octet, 1468 × window 16', 'medium.bin', { blksize: 1468, windowsize: 16 }, true),
    get('tftp: get octet, 8192 × window 8', 'medium.bin', { blksize: 8192, windowsize: 8 }),
    get('tftp: get netascii, lockstep', 'notes.txt', { mode: 'netascii', options: false }),
    get('tftp: get netascii, 1468 × window 4', 'notes.txt', { mode: 'netascii', blksize: 1468, windowsize: 4 }),
    {
      name: 'tftp: put octet, 1468 × window 8',
      async run(ctx) {
        const { endpoint, root } = need();
        const data = seededBytes(2 * MiB + 5, 4);
        const stats = await tftpPut(endpoint, 'upload.bin', data, {
          blksize: 1468,
          windowsize: 8,
          signal: timeout(ctx),
        });
        const match = (await sha256File(join(root, 'upload.bin'))) === sha256(data);
        return {
          ok: match,
          bytes: data.length,
          sha256: match,
          note: `stored in the writable root; ${stats.blocks} blocks, ${stats.retransmits} resent`,
        };
      },
    },
    {
      name: 'tftp: get into a stream sink',
      async run(ctx) {
        const { endpoint, files } = need();
        const chunks: Uint8Array[] = [];
        const stats = await tftpGet(endpoint, 'medium.bin', (chunk) => void chunks.push(chunk.slice()), {
          blksize: 1468,
          windowsize: 8,
          signal: timeout(ctx),
        });
        const data = Buffer.concat(chunks);
        const match = sha256(data) === files.get('medium.bin');
        return {
          ok: match,
          bytes: data.length,
          sha256: match,
          note: `${chunks.length} chunks to a function sink; OACK ${(stats.oack ?? []).map(([k, v]) => `${k}=${v}`).join(' ') || 'none'}`,
        };
      },
    },
    refused('tftp: path traversal refused', '../etc/passwd', 2),
    refused('tftp: missing file', 'no-such-file.bin', 1),
    {
      name: 'tftp: server closes',
      async run() {
        const { server, ended } = need();
        await server.close();
        check(server.activeTransfers === 0, 'no transfer left running');
        const ok = ended.filter((e) => e.ok).length;
        fx = undefined;
        return {
          ok: true,
          note: `${ended.length} transfers seen by onTransferEnd (${ok} ok, ${ended.length - ok} refused)`,
        };
      },
    },
  ];
}
