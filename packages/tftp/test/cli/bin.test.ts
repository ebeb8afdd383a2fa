// The real bin, spawned: `node packages/tftp/dist/cli/main.js` (built by `tsc -b`, which the root
// `pnpm test` runs first), against itself and against the tftp-hpa client.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, requirePeer, startInTftpd } from '@udpkit/peers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tftpGet } from '../../src/io/index.js';
import { data, removeDir, tempDir, waitFor } from './helpers.js';

const bin = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const haveBin = existsSync(bin);
if (!haveBin) {
  process.stderr.write(`\n*** ${bin} is missing (run 'pnpm exec tsc -b'): the spawned-bin tests are SKIPPED ***\n\n`);
}

interface Spawned {
  child: ChildProcess;
  stdout: () => Buffer;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

function run(command: string, args: string[], options: { cwd?: string; input?: Buffer } = {}): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, COLUMNS: '80' },
  });
  children.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  if (options.input !== undefined) child.stdin!.end(options.input);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => Buffer.concat(out), stderr: () => Buffer.concat(err).toString('utf8'), exited };
}

const tftp = (args: string[], options: { cwd?: string; input?: Buffer } = {}) =>
  run(process.execPath, [bin, ...args], options);

/** `tftp serve ROOT --host 127.0.0.1 --port 0 …`, resolved once it has printed its port. */
async function serve(root: string, ...extra: string[]): Promise<Spawned & { port: number }> {
  const s = tftp(['serve', root, '--host', '127.0.0.1', '--port', '0', ...extra]);
  let exitedEarly = false;
  void s.exited.then(() => {
    exitedEarly = true;
  });
  const port = await waitFor(
    () => {
      if (exitedEarly) throw new Error(`serve exited: ${s.stderr()}`);
      const m = /^tftp: serving .* on 127\.0\.0\.1:(\d+) \(/m.exec(s.stderr());
      return m ? Number(m[1]) : undefined;
    },
    10_000,
    'the serving line',
  );
  return { ...s, port };
}

let root: string;
let work: string;

beforeEach(async () => {
  root = await tempDir('udpkit-tftp-bin-root-');
  work = await tempDir('udpkit-tftp-bin-work-');
});

afterEach(async () => {
  // Never leave a process (or its sockets) behind.
  const left = [...children];
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(
    left.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('close', resolve)))),
  );
  await killAll();
  await removeDir(root);
  await removeDir(work);
});

describe.skipIf(!haveBin)('the tftp bin (spawned)', () => {
  it('--help exits 0 on stdout; a usage error exits 2 on stderr', async () => {
    const help = tftp(['serve', '--help']);
    expect(await help.exited).toEqual({ code: 0, signal: null });
    expect(help.stdout().toString()).toMatch(/^Usage: tftp serve ROOT/);
    const bad = tftp(['get', 'host']);
    expect(await bad.exited).toEqual({ code: 2, signal: null });
    expect(bad.stderr()).toBe("tftp: missing argument REMOTE\nTry 'tftp get --help'.\n");
    expect(bad.stdout().length).toBe(0);
  });

  it('serve prints its port; get from another bin; SIGTERM → exit 0', async () => {
    const bytes = data(300_000);
    await writeFile(join(root, 'boot.img'), bytes);
    const server = await serve(root);
    const get = tftp(['get', `127.0.0.1:${server.port}`, 'boot.img', '--blksize', '1468'], { cwd: work });
    expect(await get.exited).toEqual({ code: 0, signal: null });
    expect(get.stderr()).toMatch(/^tftp: received boot\.img: 293 KiB \(300000 bytes\) in /);
    expect(Buffer.compare(await readFile(join(work, 'boot.img')), bytes)).toBe(0);
    await waitFor(() => (/read "boot\.img" ok/.test(server.stderr()) ? true : undefined), 5000, 'the log line');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const lines = server.stderr().trimEnd().split('\n');
    expect(lines[0]).toBe(`tftp: serving ${root} on 127.0.0.1:${server.port} (read-only)`);
    expect(lines[1]).toMatch(
      /^tftp: 127\.0\.0\.1:\d+ read "boot\.img" ok: 293 KiB in [0-9.]+ s, .*\/s \[blksize=1468 tsize=300000\]$/,
    );
    expect(lines[2]).toBe('tftp: SIGTERM: shutting down');
  });

  it('get - to stdout and a missing file (exit 1, error 1)', async () => {
    const bytes = data(100_000);
    await writeFile(join(root, 'x.bin'), bytes);
    const server = await serve(root);
    const get = tftp(['get', `tftp://127.0.0.1:${server.port}/x.bin`, '-', '--quiet']);
    expect(await get.exited).toEqual({ code: 0, signal: null });
    expect(Buffer.compare(get.stdout(), bytes)).toBe(0);
    // `| head -c 10`: stdout closes early; the bin says so, tells the server and exits 1.
    await writeFile(join(root, 'big.bin'), data(2_000_000));
    const cut = tftp(['get', `127.0.0.1:${server.port}`, 'big.bin', '-']);
    cut.child.stdout!.once('data', () => cut.child.stdout!.destroy());
    expect(await cut.exited).toEqual({ code: 1, signal: null });
    expect(cut.stderr()).toBe('tftp: stdout: Broken pipe\n');
    await waitFor(() => (/read "big\.bin" failed/.test(server.stderr()) ? true : undefined), 5000, 'the failure log');
    const missing = tftp(['get', `127.0.0.1:${server.port}`, 'boot.img'], { cwd: work });
    expect(await missing.exited).toEqual({ code: 1, signal: null });
    expect(missing.stderr()).toBe('tftp: error 1 (file not found): boot.img\n');
    expect(await readdir(work)).toEqual([]);
  });

  it('put with --allow-create (a file and stdin); a read-only server refuses', async () => {
    const server = await serve(root, '--allow-create');
    const bytes = data(70_000);
    await writeFile(join(work, 'up.bin'), bytes);
    const put = tftp(['put', `127.0.0.1:${server.port}`, 'up.bin', '--windowsize', '8', '--blksize', '1024'], {
      cwd: work,
    });
    expect(await put.exited).toEqual({ code: 0, signal: null });
    expect(Buffer.compare(await readFile(join(root, 'up.bin')), bytes)).toBe(0);
    const piped = tftp(['put', `127.0.0.1:${server.port}`, '-', 'piped.bin', '--json'], { input: bytes });
    expect(await piped.exited).toEqual({ code: 0, signal: null });
    expect(JSON.parse(piped.stdout().toString())).toMatchObject({ ok: true, op: 'put', local: '-', bytes: 70_000 });
    expect(Buffer.compare(await readFile(join(root, 'piped.bin')), bytes)).toBe(0);
    const again = tftp(['put', `127.0.0.1:${server.port}`, 'up.bin'], { cwd: work });
    expect(await again.exited).toEqual({ code: 1, signal: null });
    expect(again.stderr()).toBe('tftp: error 6 (file already exists): up.bin\n');

    const readOnly = await serve(root);
    const denied = tftp(['put', `127.0.0.1:${readOnly.port}`, 'up.bin', 'new.bin'], { cwd: work });
    expect(await denied.exited).toEqual({ code: 1, signal: null });
    expect(denied.stderr()).toBe('tftp: error 2 (access violation): new.bin (server says: writes are not allowed)\n');
    expect(existsSync(join(root, 'new.bin'))).toBe(false);
  });

  it('serve --json: a listening line, then one object per transfer', async () => {
    await writeFile(join(root, 'a'), 'abc');
    const s = tftp(['serve', root, '--host', '127.0.0.1', '--port', '0', '--json']);
    const listening = await waitFor(
      () => {
        const text = s.stdout().toString();
        return text.includes('\n') ? JSON.parse(text.split('\n')[0]!) : undefined;
      },
      10_000,
      'listening',
    );
    expect(listening).toMatchObject({ event: 'listening', host: '127.0.0.1', root });
    const get = tftp(['get', `127.0.0.1:${listening.port}`, 'a', '-']);
    expect(await get.exited).toEqual({ code: 0, signal: null });
    expect(get.stdout().toString()).toBe('abc');
    await waitFor(() => (s.stdout().toString().split('\n').length >= 3 ? true : undefined), 5000, 'transfer line');
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const events = s
      .stdout()
      .toString()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual(['listening', 'transfer', 'closed']);
    expect(events[1]).toMatchObject({ ok: true, op: 'read', filename: 'a', bytes: 3 });
    expect(s.stderr()).toBe('');
  });

  it('SIGTERM during a transfer: it finishes, then exit 0; a second signal forces (exit 143)', async () => {
    const bytes = data(3 * 1024 * 1024);
    await writeFile(join(root, 'big'), bytes);
    const server = await serve(root);
    const chunks: Buffer[] = [];
    let signalled = false;
    const stats = await tftpGet(`127.0.0.1:${server.port}`, 'big', (c) => void chunks.push(Buffer.from(c)), {
      onProgress: ({ bytes: n }) => {
        if (!signalled && n >= 128 * 1024) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      },
    });
    expect(signalled).toBe(true);
    expect(stats.bytes).toBe(bytes.length);
    expect(Buffer.compare(Buffer.concat(chunks), bytes)).toBe(0);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain('tftp: SIGTERM: shutting down, waiting for 1 transfer\n');
    expect(server.stderr()).toMatch(/read "big" ok: 3\.00 MiB/);

    const second = await serve(root);
    let twice = false;
    const failed = tftpGet(`127.0.0.1:${second.port}`, 'big', () => {}, {
      blksize: 512,
      onProgress: ({ bytes: n }) => {
        if (!twice && n >= 128 * 1024) {
          twice = true;
          second.child.kill('SIGTERM');
          setTimeout(() => second.child.kill('SIGTERM'), 50);
        }
      },
    });
    await expect(failed).rejects.toMatchObject({ code: 'peer-error', tftpCode: 0 });
    expect(await second.exited).toEqual({ code: 143, signal: null });
    expect(second.stderr()).toContain('tftp: stopping running transfers\n');
  });
});

const tftpHpa = requirePeer('tftp-hpa');

describe.skipIf(!haveBin || !tftpHpa)('tftp serve with the tftp-hpa client', () => {
  const hpa = (port: number, command: string) =>
    run(tftpHpa!, ['127.0.0.1', String(port), '-m', 'octet', '-c', ...command.split(' ')], { cwd: work });

  it('get in octet mode, byte-identical', async () => {
    const bytes = data(200_000);
    await mkdir(join(root, 'boot'));
    await writeFile(join(root, 'boot', 'pxe.0'), bytes);
    const server = await serve(root);
    const client = hpa(server.port, 'get boot/pxe.0 got.0');
    expect((await client.exited).code).toBe(0);
    expect(Buffer.compare(await readFile(join(work, 'got.0')), bytes)).toBe(0);
    await waitFor(() => (/read "boot\/pxe\.0" ok/.test(server.stderr()) ? true : undefined), 5000, 'log line');
  });

  it('get in netascii mode (tftp-hpa default without -m octet): text arrives intact', async () => {
    const text = 'first line\nsecond line\n\nlast\n';
    await writeFile(join(root, 'text.txt'), text);
    const server = await serve(root);
    const client = run(tftpHpa!, ['127.0.0.1', String(server.port), '-c', 'get', 'text.txt', 'text.txt'], {
      cwd: work,
    });
    expect((await client.exited).code).toBe(0);
    expect(await readFile(join(work, 'text.txt'), 'utf8')).toBe(text);
  });

  it('put with --allow-create; a missing file is reported by the client', async () => {
    const bytes = data(40_000);
    await writeFile(join(work, 'up.bin'), bytes);
    const server = await serve(root, '--allow-create');
    const client = hpa(server.port, 'put up.bin up.bin');
    expect((await client.exited).code).toBe(0);
    expect(Buffer.compare(await readFile(join(root, 'up.bin')), bytes)).toBe(0);
    const missing = hpa(server.port, 'get nope.bin nope.bin');
    await missing.exited;
    expect(missing.stderr() + missing.stdout().toString()).toMatch(/File not found/i);
  });
});

const inTftpd = requirePeer('in.tftpd');

describe.skipIf(!haveBin || !inTftpd)('tftp get/put against the tftp-hpa server (in.tftpd)', () => {
  it('get with tsize (the default), with --blksize, with --no-options; put with -c; error 1', async () => {
    const bytes = data(150_000);
    await writeFile(join(root, 'f.bin'), bytes);
    // in.tftpd drops to the user nobody: it must be able to read and (with -c) create files here.
    await chmod(root, 0o777);
    const { port } = await startInTftpd(inTftpd!, root, { args: ['-c'] });
    const target = `127.0.0.1:${port}`;
    for (const [i, extra] of [[], ['--blksize', '1468'], ['--no-options']].entries()) {
      const get = tftp(['get', target, 'f.bin', `got${i}.bin`, '--json', ...extra], { cwd: work });
      expect(await get.exited, get.stderr()).toEqual({ code: 0, signal: null });
      const report = JSON.parse(get.stdout().toString());
      expect(report).toMatchObject({ ok: true, bytes: 150_000 });
      if (i === 0) expect(report.options).toMatchObject({ tsize: 150_000 });
      if (i === 1) expect(report.options).toMatchObject({ blksize: 1468 });
      if (i === 2) expect(report.options).toEqual({});
      expect(Buffer.compare(await readFile(join(work, `got${i}.bin`)), bytes)).toBe(0);
    }
    const put = tftp(['put', target, `got0.bin`, 'up.bin', '--blksize', '1024'], { cwd: work });
    expect(await put.exited, put.stderr()).toEqual({ code: 0, signal: null });
    expect(Buffer.compare(await readFile(join(root, 'up.bin')), bytes)).toBe(0);
    const missing = tftp(['get', target, 'nope.bin'], { cwd: work });
    expect(await missing.exited).toEqual({ code: 1, signal: null });
    expect(missing.stderr()).toMatch(/^tftp: error 1 \(file not found\): nope\.bin/);
  });
});
