// Closing every socket lets the process exit: no stray handles or timers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Node 20 cannot run the TS sources: transpile them to a temporary folder for the child.
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
let outDir = '';
let src = '';
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'udp-racket-'));
  for (const f of fs.readdirSync(srcDir)) {
    if (!f.endsWith('.ts')) continue;
    const out = ts.transpileModule(fs.readFileSync(path.join(srcDir, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    fs.writeFileSync(path.join(outDir, f.replace(/\.ts$/, '.js')), out.outputText);
  }
  src = path.join(outDir, 'index.js');
});
afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

function runChild(body: string): Promise<{ code: number | null; stderr: string }> {
  const script = `import * as U from ${JSON.stringify(src)};\n${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: -1, stderr: `${stderr}\n(killed: did not exit)` });
    }, 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    });
  });
}

describe('process lifetime', () => {
  it('exits after open/bind/send/receive/connect/close', async () => {
    const r = await runChild(`
      const a = await U.udpOpenSocket(); await U.udpBind(a, '127.0.0.1', 0);
      const [, port] = U.udpAddresses(a, true);
      const b = await U.udpOpenSocket();
      await U.udpSendTo(b, '127.0.0.1', port, new Uint8Array(3));
      await U.udpReceive(a, new Uint8Array(3));
      await U.udpConnect(b, '127.0.0.1', 9); await U.udpSend(b, new Uint8Array(1));
      await U.syncTimeout(0.01, U.udpReceiveEvt(a, new Uint8Array(1)));
      const pending = U.udpReceive(a, new Uint8Array(1)).catch(() => {});
      const waiting = U.sync(U.udpReceiveEvt(a, new Uint8Array(1))).catch(() => {});
      U.udpClose(a); U.udpClose(b);
      await pending; await waiting;
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('exits with receives still pending on sockets given udpUnref (before or after bind)', async () => {
    const r = await runChild(`
      const a = await U.udpOpenSocket(); U.udpUnref(a); await U.udpBind(a, '127.0.0.1', 0);
      const b = await U.udpOpenSocket(); await U.udpBind(b, '127.0.0.1', 0); U.udpUnref(b);
      U.udpReceive(a, new Uint8Array(1)).then(() => process.stderr.write('a got a datagram'));
      U.udpReceive(b, new Uint8Array(1)).then(() => process.stderr.write('b got a datagram'));
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('udpRef undoes udpUnref: the socket keeps the process alive until its datagram comes', async () => {
    // Without the ref, nothing would keep the process alive: the top-level await would be left
    // unsettled and Node would exit with code 13.
    const r = await runChild(`
      const a = await U.udpOpenSocket(); await U.udpBind(a, '127.0.0.1', 0); U.udpUnref(a); U.udpRef(a);
      const [, port] = U.udpAddresses(a, true);
      const b = await U.udpOpenSocket(); await U.udpBind(b, '127.0.0.1', 0); U.udpUnref(b);
      setTimeout(() => U.udpSendTo(b, '127.0.0.1', port, new Uint8Array(1)), 200).unref();
      await U.udpReceive(a, new Uint8Array(1));
      U.udpClose(a); U.udpClose(b);
    `);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('exits after options and multicast on sockets that were never bound', async () => {
    const r = await runChild(`
      const u = await U.udpOpenSocket();
      U.udpSetTtl(u, 9); await U.udpMulticastJoinGroup(u, '239.255.1.2', false);
      await U.udpMulticastSetInterface(u, '127.0.0.1');
      U.udpClose(u);
    `);
    expect(r.code).toBe(0);
  });
});
