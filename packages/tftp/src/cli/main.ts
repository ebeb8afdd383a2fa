#!/usr/bin/env node
// The `tftp` bin: wires the process to runCli (run.ts) and sets the exit code. Signals: the
// first SIGINT/SIGTERM aborts `signal` (get/put stop; serve finishes running transfers), the
// second aborts `forceSignal` (serve drops them), a third exits at once.
import { constants } from 'node:os';
import { runCli } from './run.js';

const stop = new AbortController();
const force = new AbortController();
let signals = 0;

function onSignal(name: NodeJS.Signals): void {
  signals++;
  const reason = Object.assign(new DOMException(`interrupted by ${name}`, 'AbortError'), { signal: name });
  if (signals === 1) stop.abort(reason);
  else if (signals === 2) force.abort(reason);
  else process.exit(128 + (constants.signals[name] ?? 2));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed stdout (`tftp serve --json | head -1`) must not crash the process with EPIPE.
process.stdout.on('error', () => {});

let stdinUsed = false;
runCli(process.argv.slice(2), {
  // Lazy: touching process.stdin creates a handle, only `put … -` needs it.
  get stdin() {
    stdinUsed = true;
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stderr.isTTY === true,
  signal: stop.signal,
  forceSignal: force.signal,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // Nothing of ours is left running; stdin (if it was touched) must not keep us alive.
    if (stdinUsed) process.stdin.destroy();
  },
  (error: unknown) => {
    process.stderr.write(`tftp: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
