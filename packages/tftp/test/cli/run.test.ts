// runCli in-process against a real server on 127.0.0.1 (real sockets, temp folders).
import { createSocket, type Socket } from 'node:dgram';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GET_USAGE, PUT_USAGE, SERVE_USAGE, TOP_USAGE } from '../../src/cli/usage.js';
import { isBusyPolling } from '../../src/io/busy-poll.js';
import { createTftpServer, type TftpServer, tftpGet } from '../../src/io/index.js';
import { capture, cli, data, removeDir, tempDir, waitFor } from './helpers.js';

let root: string;
let work: string;
let server: TftpServer | undefined;
let port: number;
let host: string;

async function startServer(options: Parameters<typeof createTftpServer>[0] = {}): Promise<void> {
  await server?.close({ force: true });
  server = createTftpServer({ root, host: '127.0.0.1', port: 0, ...options });
  const ep = await server.listen();
  port = ep.port;
  host = `127.0.0.1:${port}`;
}

beforeEach(async () => {
  root = await tempDir('udpkit-tftp-root-');
  work = await tempDir('udpkit-tftp-work-');
  await startServer({ allowWrite: true, allowCreate: true });
});

afterEach(async () => {
  await server?.close({ force: true });
  server = undefined;
  await removeDir(root);
  await removeDir(work);
});

/** `tftp serve ROOT --json` on 127.0.0.1, an OS-chosen port; resolves once its listening event is out. */
async function serveJson() {
  const stop = new AbortController();
  const stdout = capture();
  const run = cli(['serve', root, '--host', '127.0.0.1', '--port', '0', '--json'], { signal: stop.signal, stdout });
  const listening = await waitFor(
    () => (stdout.text().includes('\n') ? JSON.parse(stdout.text().split('\n')[0]!) : undefined),
    5000,
    'listening',
  );
  return { stop, stdout, run, listening };
}

describe('help and usage errors', () => {
  it.each([
    [['--help'], TOP_USAGE],
    [['help'], TOP_USAGE],
    [['get', '--help'], GET_USAGE],
    [['put', '-h'], PUT_USAGE],
    [['help', 'serve'], SERVE_USAGE],
  ])('%j prints help on stdout and exits 0', async (argv, text) => {
    const r = await cli(argv);
    expect(r).toMatchObject({ code: 0, stdout: text, stderr: '' });
  });

  it.each([
    [[], "tftp: missing command\nTry 'tftp --help'.\n"],
    [['fetch', 'h', 'x'], "tftp: unknown command 'fetch'\nTry 'tftp --help'.\n"],
    [['get', 'h', 'x', '--bogus'], "tftp: unknown option '--bogus'\nTry 'tftp get --help'.\n"],
    [['get', 'h'], "tftp: missing argument REMOTE\nTry 'tftp get --help'.\n"],
    [['put', 'h'], "tftp: missing argument LOCAL\nTry 'tftp put --help'.\n"],
    [['serve'], "tftp: missing argument ROOT\nTry 'tftp serve --help'.\n"],
    [['get', 'h', 'x', '--blksize', '7'], expect.stringContaining("tftp: bad value for --blksize: '7'")],
  ])('%j is a usage error: exit 2, message on stderr', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toEqual(message);
  });
});

describe('get', () => {
  it('downloads into LOCAL, byte-identical; a summary on stderr', async () => {
    const bytes = data(100_000);
    await writeFile(join(root, 'boot.img'), bytes);
    const r = await cli(['get', host, 'boot.img', 'out.img'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tftp: received boot\.img: 97\.7 KiB \(100000 bytes\) in [0-9.]+ s/);
    expect(Buffer.compare(await readFile(join(work, 'out.img')), bytes)).toBe(0);
  });

  it('LOCAL defaults to the base name of REMOTE; an existing folder receives the base name', async () => {
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'a.bin'), data(1536)); // a multiple of 512: ends with an empty DATA
    await mkdir(join(work, 'into'));
    expect((await cli(['get', host, 'sub/a.bin', '--quiet'], { cwd: work })).code).toBe(0);
    expect((await cli(['get', host, 'sub/a.bin', 'into', '--quiet'], { cwd: work })).code).toBe(0);
    const want = await readFile(join(root, 'sub', 'a.bin'));
    expect(await readFile(join(work, 'a.bin'))).toEqual(want);
    expect(await readFile(join(work, 'into', 'a.bin'))).toEqual(want);
  });

  it('--quiet prints nothing on success', async () => {
    await writeFile(join(root, 'q'), 'hello');
    expect(await cli(['get', host, 'q', '--quiet'], { cwd: work })).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('- writes the file to stdout', async () => {
    const bytes = data(70_000);
    await writeFile(join(root, 'x.bin'), bytes);
    const r = await cli(['get', host, 'x.bin', '-', '--quiet']);
    expect(r.code).toBe(0);
    expect(Buffer.compare(r.stdoutBytes, bytes)).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('--json: one object on stdout with the transfer and the negotiated options', async () => {
    const bytes = data(5000);
    await writeFile(join(root, 'j.bin'), bytes);
    const r = await cli(
      ['get', host, 'j.bin', 'j.out', '--json', '--blksize', '1468', '--windowsize', '4', '--tsize'],
      { cwd: work },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report).toEqual({
      ok: true,
      op: 'get',
      server: host,
      remote: 'j.bin',
      local: join(work, 'j.out'),
      mode: 'octet',
      bytes: 5000,
      blocks: 4,
      retransmits: expect.any(Number),
      durationMs: expect.any(Number),
      rate: report.durationMs > 0 ? expect.any(Number) : null,
      options: { blksize: 1468, windowsize: 4, tsize: 5000 },
    });
  });

  it('a missing file: exit 1, "error 1 (file not found)", no LOCAL left behind', async () => {
    const r = await cli(['get', host, 'boot.img'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tftp: error 1 (file not found): boot.img\n');
    expect(await readdir(work)).toEqual([]);
  });

  it('a missing file with --json: ok false and the error codes', async () => {
    const r = await cli(['get', host, 'nope', '--json'], { cwd: work });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      op: 'get',
      server: host,
      remote: 'nope',
      local: join(work, 'nope'),
      mode: 'octet',
      error: { code: 'peer-error', tftpCode: 1, message: 'error 1 (file not found): nope' },
    });
    expect(r.stderr).toBe('tftp: error 1 (file not found): nope\n');
  });

  it('refuses to replace an existing LOCAL unless --force / --overwrite', async () => {
    await writeFile(join(root, 'f'), 'new contents');
    await writeFile(join(work, 'f'), 'old');
    const r = await cli(['get', host, 'f'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tftp: '${join(work, 'f')}' exists (use --force to replace it)\n`);
    expect(await readFile(join(work, 'f'), 'utf8')).toBe('old');
    expect((await cli(['get', host, 'f', '--force', '--quiet'], { cwd: work })).code).toBe(0);
    expect(await readFile(join(work, 'f'), 'utf8')).toBe('new contents');
    await writeFile(join(work, 'f'), 'old');
    expect((await cli(['get', host, 'f', '--overwrite', '--quiet'], { cwd: work })).code).toBe(0);
    expect(await readFile(join(work, 'f'), 'utf8')).toBe('new contents');
  });

  it('a failed get does not touch an existing LOCAL even with --force', async () => {
    await writeFile(join(work, 'keep'), 'precious');
    const r = await cli(['get', host, 'keep', '--force'], { cwd: work });
    expect(r.code).toBe(1);
    expect(await readFile(join(work, 'keep'), 'utf8')).toBe('precious');
    expect(await readdir(work)).toEqual(['keep']);
  });

  it('a LOCAL in a missing folder names that folder', async () => {
    await writeFile(join(root, 'f'), 'x');
    const r = await cli(['get', host, 'f', 'no/such/dir/f'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tftp: '${join(work, 'no/such/dir')}': No such file or directory\n`);
    expect(await readdir(work)).toEqual([]);
  });

  it('netascii: text converted on the wire and back, so the local file is identical', async () => {
    const text = 'line one\nline two\r\nlone\rcr\n';
    await writeFile(join(root, 't.txt'), text);
    const r = await cli(['get', host, 't.txt', '--mode', 'netascii', '--json'], { cwd: work });
    expect(r.code).toBe(0);
    expect(await readFile(join(work, 't.txt'), 'utf8')).toBe(text);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'netascii', bytes: text.length });
  });

  it('tftp:// URLs, with ;mode=', async () => {
    await writeFile(join(root, 'u v.txt'), 'a\nb\n');
    const r = await cli(['get', `tftp://${host}/u%20v.txt;mode=netascii`, 'u.txt', '--quiet'], { cwd: work });
    expect(r.code).toBe(0);
    expect(await readFile(join(work, 'u.txt'), 'utf8')).toBe('a\nb\n');
  });

  it('times out against a silent server: exit 1, "timed out"', async () => {
    const silent: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const silentPort = silent.address().port;
      const r = await cli(['get', `127.0.0.1:${silentPort}`, 'x', '--retries', '1', '--timeout', '1', '--json'], {
        cwd: work,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`tftp: timed out: no answer from 127.0.0.1:${silentPort} (x)\n`);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'timeout' });
      expect(await readdir(work)).toEqual([]);
    } finally {
      silent.close();
    }
  }, 30_000);

  it('interrupted (signal): exit 130, no partial file, no temp file', async () => {
    await writeFile(join(root, 'big'), data(4 * 1024 * 1024));
    const stop = new AbortController();
    const stderr = capture();
    const run = cli(['get', host, 'big', '--blksize', '8'], { cwd: work, signal: stop.signal, stderr });
    setTimeout(() => stop.abort(Object.assign(new Error('stop'), { name: 'AbortError', signal: 'SIGINT' })), 200);
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('tftp: interrupted (big)\n');
    expect(await readdir(work)).toEqual([]);
  });

  it('a progress bar only on a TTY, cleared at the end', async () => {
    await writeFile(join(root, 'p'), data(20_000));
    const r = await cli(['get', host, 'p', '--tsize'], { cwd: work, isTTY: true, env: { COLUMNS: '60' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\r');
    expect(r.stderr).toMatch(/\r\x1b\[Ktftp: received p: /);
    const plain = await cli(['get', host, 'p', 'p2'], { cwd: work, isTTY: false });
    expect(plain.stderr).not.toContain('\r');
    const json = await cli(['get', host, 'p', 'p3', '--json'], { cwd: work, isTTY: true });
    expect(json.stderr).toBe('');
  });
});

describe('put', () => {
  it('uploads LOCAL under its base name, byte-identical', async () => {
    const bytes = data(123_457);
    await writeFile(join(work, 'up.bin'), bytes);
    const r = await cli(['put', host, 'up.bin'], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tftp: sent up\.bin: 121 KiB \(123457 bytes\) in /);
    expect(Buffer.compare(await readFile(join(root, 'up.bin')), bytes)).toBe(0);
  });

  it('- reads stdin (streamed)', async () => {
    const parts = [data(1000), data(50_000), data(1)];
    const r = await cli(['put', host, '-', 'from-stdin.bin', '--quiet', '--blksize', '1024'], {
      stdin: Readable.from(parts),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(Buffer.compare(await readFile(join(root, 'from-stdin.bin')), Buffer.concat(parts))).toBe(0);
  });

  it('--json with --tsize announces the size', async () => {
    await writeFile(join(work, 's.bin'), data(3000));
    const r = await cli(['put', host, 's.bin', 'remote.bin', '--json', '--tsize'], { cwd: work });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      op: 'put',
      remote: 'remote.bin',
      local: join(work, 's.bin'),
      bytes: 3000,
      options: { tsize: 3000 },
    });
  });

  it('a read-only server: exit 1, error 2 with its text', async () => {
    await startServer();
    await writeFile(join(work, 'ro.bin'), 'x');
    const r = await cli(['put', host, 'ro.bin'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tftp: error 2 (access violation): ro.bin (server says: writes are not allowed)\n');
  });

  it('an existing file without --allow-overwrite: error 6', async () => {
    await writeFile(join(root, 'exists'), 'x');
    await writeFile(join(work, 'exists'), 'y');
    const r = await cli(['put', host, 'exists'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tftp: error 6 (file already exists): exists\n');
    expect(await readFile(join(root, 'exists'), 'utf8')).toBe('x');
  });

  it('a folder as LOCAL: exit 1, Is a directory', async () => {
    await mkdir(join(work, 'd'));
    const r = await cli(['put', host, 'd', 'x'], { cwd: work });
    expect(r).toMatchObject({ code: 1, stderr: `tftp: '${join(work, 'd')}': Is a directory\n` });
  });

  it('a missing LOCAL: exit 1 with the glibc text', async () => {
    const r = await cli(['put', host, 'missing.bin', '--json'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tftp: '${join(work, 'missing.bin')}': No such file or directory\n`);
    expect(JSON.parse(r.stdout).error).toEqual({
      code: 'ENOENT',
      tftpCode: null,
      message: `'${join(work, 'missing.bin')}': No such file or directory`,
    });
  });
});

describe('serve (in-process)', () => {
  it('logs the endpoint, one line per transfer, and stops on the signal with exit 0', async () => {
    await writeFile(join(root, 'served.bin'), data(10_000));
    const stop = new AbortController();
    const stderr = capture();
    const run = cli(['serve', root, '--host', '127.0.0.1', '--port', '0', '--allow-create'], {
      signal: stop.signal,
      stderr,
    });
    const servePort = await waitFor(() => /serving .* on 127\.0\.0\.1:(\d+)/.exec(stderr.text())?.[1], 5000, 'serving');
    expect(stderr.text()).toBe(`tftp: serving ${root} on 127.0.0.1:${servePort} (writes: create)\n`);
    const got = await cli(['get', `127.0.0.1:${servePort}`, 'served.bin', '--quiet'], { cwd: work });
    expect(got.code).toBe(0);
    // A traversal attempt, straight from a socket (the codec already refuses control characters and
    // non-ASCII; the log shows the io layer's sanitised name, backslashes doubled).
    const raw: Socket = createSocket('udp4');
    const answer = new Promise<Buffer>((resolve) => raw.once('message', resolve));
    raw.send(Buffer.from('\x00\x01..\\secret\x00octet\x00', 'latin1'), Number(servePort), '127.0.0.1');
    expect((await answer).readUInt16BE(0)).toBe(5); // ERROR
    raw.close();
    await waitFor(() => (stderr.text().split('\n').length >= 4 ? true : undefined), 5000, 'log lines');
    stop.abort('SIGTERM');
    const r = await run;
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^tftp: 127\.0\.0\.1:\d+ read "served\.bin" ok: 9\.77 KiB in /);
    expect(lines[2]).toMatch(
      /^tftp: 127\.0\.0\.1:\d+ read "\.\.\\\\secret" failed: refused with error 2 \(access violation\): '\.\.' in filename refused$/,
    );
    expect(lines[3]).toBe('tftp: SIGTERM: shutting down');
  });

  it('--json: a listening event, one object per transfer, a closed event', async () => {
    await writeFile(join(root, 'a'), 'abc');
    const { stop, stdout, run, listening } = await serveJson();
    expect(listening).toEqual({
      event: 'listening',
      root,
      host: '127.0.0.1',
      port: expect.any(Number),
      allowWrite: false,
      allowCreate: false,
      allowOverwrite: false,
    });
    const stats = await tftpGet(`127.0.0.1:${listening.port}`, 'a', () => {});
    expect(stats.bytes).toBe(3);
    await waitFor(() => (stdout.text().split('\n').length >= 3 ? true : undefined), 5000, 'transfer event');
    stop.abort();
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toHaveLength(3);
    expect(events[1]).toMatchObject({
      event: 'transfer',
      ok: true,
      op: 'read',
      filename: 'a',
      mode: 'octet',
      bytes: 3,
      client: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    expect(events[2]).toEqual({ event: 'closed', forced: false });
  });

  it('--json: a read the client abandons reports the bytes it acknowledged, not what was read ahead', async () => {
    await writeFile(join(root, 'big'), data(200_000));
    const { stop, stdout, run, listening } = await serveJson();
    // A hand-driven client: plain RRQ, ACK block 1, then ERROR 0 after DATA 2.
    const peer = createSocket('udp4');
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    try {
      const next = () =>
        new Promise<{ data: Buffer; port: number }>((resolve) =>
          peer.once('message', (data, rinfo) => resolve({ data, port: rinfo.port })),
        );
      let got = next();
      peer.send(Buffer.from('\0\x01big\0octet\0', 'latin1'), listening.port, '127.0.0.1');
      const d1 = await got;
      expect([...d1.data.subarray(0, 4)]).toEqual([0, 3, 0, 1]);
      got = next();
      peer.send(Buffer.from([0, 4, 0, 1]), d1.port, '127.0.0.1');
      const d2 = await got;
      expect([...d2.data.subarray(0, 4)]).toEqual([0, 3, 0, 2]);
      peer.send(Buffer.from('\0\x05\0\0stop\0', 'latin1'), d1.port, '127.0.0.1');
      await waitFor(() => (stdout.text().split('\n').length >= 3 ? true : undefined), 5000, 'transfer event');
    } finally {
      peer.close();
    }
    stop.abort();
    const r = await run;
    const event = JSON.parse(r.stdout.split('\n')[1]!);
    expect(event).toMatchObject({ event: 'transfer', ok: false, op: 'read', filename: 'big', bytes: 512 });
  });

  it('passes its limits on: --max-file-size, --no-options, --port-range, --max-blksize', async () => {
    await writeFile(join(root, 'f'), data(3000));
    await writeFile(join(work, 'big'), data(5000));
    const serveWith = async (...flags: string[]) => {
      const stop = new AbortController();
      const stderr = capture();
      const done = cli(['serve', root, '--host', '127.0.0.1', '--port', '0', '--quiet', ...flags], {
        signal: stop.signal,
        stderr,
      });
      const p = await waitFor(() => /on 127\.0\.0\.1:(\d+)/.exec(stderr.text())?.[1], 5000, 'serving');
      const end = async () => {
        stop.abort();
        return done;
      };
      return { target: `127.0.0.1:${p}`, stop: end };
    };
    const limited = await serveWith('--allow-create', '--max-file-size', '4K', '--max-blksize', '1024');
    const tooBig = await cli(['put', limited.target, 'big', '--json'], { cwd: work });
    expect(tooBig.code).toBe(1);
    expect(JSON.parse(tooBig.stdout).error).toMatchObject({ code: 'peer-error', tftpCode: 3 });
    const capped = await cli(['get', limited.target, 'f', 'f1', '--json', '--blksize', '4096'], { cwd: work });
    expect(JSON.parse(capped.stdout).options).toMatchObject({ blksize: 1024 });
    expect((await limited.stop()).code).toBe(0);

    const plain = await serveWith('--no-options', '--port-range', '41000-41100');
    const got = await cli(['get', plain.target, 'f', 'f2', '--json', '--blksize', '1468'], { cwd: work });
    expect(JSON.parse(got.stdout)).toMatchObject({ ok: true, bytes: 3000, options: {} });
    expect((await plain.stop()).code).toBe(0);
  });

  it('passes --busy-poll on, for serve and for get', async () => {
    await writeFile(join(root, 'f'), data(3000));
    const idle = () => waitFor(() => (isBusyPolling() ? undefined : true), 5000, 'polling to end');
    await idle();
    // Polling goes on for the budget (here 0.2 s) after the last datagram: still on right after.
    const got = await cli(['get', host, 'f', 'f1', '--quiet', '--busy-poll', '200000'], { cwd: work });
    expect(got.code).toBe(0);
    expect(isBusyPolling()).toBe(true);
    await idle();
    const plain = await cli(['get', host, 'f', 'f2', '--quiet'], { cwd: work });
    expect(plain.code).toBe(0);
    expect(isBusyPolling()).toBe(false);

    const stop = new AbortController();
    const stderr = capture();
    const done = cli(['serve', root, '--host', '127.0.0.1', '--port', '0', '--quiet', '--busy-poll', '200000'], {
      signal: stop.signal,
      stderr,
    });
    const p = await waitFor(() => /on 127\.0\.0\.1:(\d+)/.exec(stderr.text())?.[1], 5000, 'serving');
    const served = await cli(['get', `127.0.0.1:${p}`, 'f', 'f3', '--quiet'], { cwd: work });
    expect(served.code).toBe(0);
    expect(isBusyPolling()).toBe(true);
    stop.abort();
    expect((await done).code).toBe(0);
    await idle();
  });

  it('a ROOT that is not a folder: exit 1 before listening', async () => {
    await writeFile(join(work, 'file'), 'x');
    expect(await cli(['serve', join(work, 'nope')])).toMatchObject({
      code: 1,
      stderr: `tftp: cannot serve '${join(work, 'nope')}': No such file or directory\n`,
    });
    expect(await cli(['serve', 'file'], { cwd: work })).toMatchObject({
      code: 1,
      stderr: "tftp: cannot serve 'file': Not a directory\n",
    });
  });

  it('a port in use: exit 1 with the reason', async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await cli(['serve', root, '--host', '127.0.0.1', '--port', String(port)], { signal: stop.signal });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tftp: cannot listen on 127\.0\.0\.1:\d+: .*Address already in use/);
  });

  it('ends gracefully: a running transfer finishes after the signal', async () => {
    const bytes = data(2 * 1024 * 1024);
    await writeFile(join(root, 'slow'), bytes);
    const stop = new AbortController();
    const stderr = capture();
    const run = cli(['serve', root, '--host', '127.0.0.1', '--port', '0'], { signal: stop.signal, stderr });
    const servePort = await waitFor(() => /on 127\.0\.0\.1:(\d+)/.exec(stderr.text())?.[1], 5000, 'serving');
    const chunks: Uint8Array[] = [];
    let stopped = false;
    const got = tftpGet(`127.0.0.1:${servePort}`, 'slow', (c) => void chunks.push(Uint8Array.from(c)), {
      blksize: 512,
      onProgress: ({ bytes: n }) => {
        if (!stopped && n > 100_000) {
          stopped = true;
          stop.abort('SIGINT');
        }
      },
    });
    const stats = await got;
    expect(stopped).toBe(true);
    expect(stats.bytes).toBe(bytes.length);
    expect(Buffer.compare(Buffer.concat(chunks), bytes)).toBe(0);
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/SIGINT: shutting down, waiting for 1 transfer\n/);
  });
});
