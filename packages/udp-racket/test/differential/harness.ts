// Differential-test harness, TS side: the twin of harness.rkt.  A scenario is an async function
// that drives `@udpkit/udp-racket` and records one transcript line per step in exactly the
// format harness.rkt prints (values written Racket-style, exceptions as
//   EXN <class> [<errno pair>] "<message>"
// ), so the two transcripts can be compared line by line after `normalise`.
import { readFileSync } from 'node:fs';
import * as udp from '../../src/index.js';
import { write, writeString } from './print.js';

type Fn = (...args: unknown[]) => unknown;

const procedures = [
  'udpOpenSocket',
  'udpBind',
  'udpConnect',
  'udpSendTo',
  'udpSend',
  'udpSendToStar',
  'udpSendStar',
  'udpSendToEnableBreak',
  'udpSendEnableBreak',
  'udpReceive',
  'udpReceiveStar',
  'udpReceiveEnableBreak',
  'udpClose',
  'isUdp',
  'isUdpBound',
  'isUdpConnected',
  'udpSendReadyEvt',
  'udpReceiveReadyEvt',
  'udpSendToEvt',
  'udpSendEvt',
  'udpReceiveEvt',
  'udpAddresses',
  'udpMulticastJoinGroup',
  'udpMulticastLeaveGroup',
  'udpMulticastInterface',
  'udpMulticastSetInterface',
  'udpMulticastSetLoopback',
  'isUdpMulticastLoopback',
  'udpMulticastTtl',
  'udpMulticastSetTtl',
  'udpTtl',
  'udpSetTtl',
  'udpSetReceiveBufferSize',
  'sync',
  'syncTimeout',
  'syncEnableBreak',
  'wrapEvt',
  'handleEvt',
  'choiceEvt',
  'isEvt',
] as const;

type Api = Record<(typeof procedures)[number], Fn> & { alwaysEvt: unknown; neverEvt: unknown; ExnFail: unknown };

/** The implementation, looked up by name so a missing export fails one step, not the file. */
export const U = new Proxy(udp as unknown as Api, {
  get(target, name: string) {
    const v = (target as unknown as Record<string, unknown>)[name];
    if (v !== undefined) return v;
    if (name === 'alwaysEvt' || name === 'neverEvt') return Symbol(`missing export ${name}`);
    return () => {
      throw new Error(`@udpkit/udp-racket does not export ${name}`);
    };
  },
});
const exported = udp as unknown as Record<string, unknown>;

/** `racket['udp-send-to']` etc.: the map keyed by Racket names (a missing entry fails the step). */
export const R = (name: string): Fn => {
  const map = exported.racket as Record<string, unknown> | undefined;
  const f = map?.[name];
  if (typeof f === 'function') return f as Fn;
  return () => {
    throw new Error(`@udpkit/udp-racket's racket map has no ${name}`);
  };
};

function pred(name: string, v: unknown): boolean {
  const f = exported[name];
  return typeof f === 'function' && (f as Fn)(v) === true;
}

const hooks = {
  isUdp: (v: unknown) => pred('isUdp', v),
  isEvt: (v: unknown) => pred('isEvt', v),
};

/** Racket's `write` of a value, with the implementation's own udp?/evt? for opaque values. */
export const show = (v: unknown): string => write(v, hooks);

/** The transcript line of a raised value (harness.rkt's `exn-line`). */
export function exnLine(e: unknown): string {
  const message = writeString(String((e as { message?: unknown })?.message));
  if (pred('isExnFailContractArity', e)) return `EXN exn:fail:contract:arity ${message}`;
  if (pred('isExnFailContract', e)) return `EXN exn:fail:contract ${message}`;
  if (pred('isExnFailNetworkErrno', e)) {
    const errno = (e as { errno?: unknown }).errno;
    const pair = Array.isArray(errno) ? `(${show(errno[0])} . ${String(errno[1])})` : `#<bad errno ${show(errno)}>`;
    return `EXN exn:fail:network:errno ${pair} ${message}`;
  }
  if (pred('isExnFailNetwork', e)) return `EXN exn:fail:network ${message}`;
  if (pred('isExnBreak', e)) return `EXN exn:break ${message}`;
  if (pred('isExnFail', e)) return `EXN exn:fail ${message}`;
  if (pred('isExn', e)) return `EXN exn ${message}`;
  return `RAISE ${writeString(e instanceof Error ? `${e.name}: ${e.message}` : String(e))}`;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

const TIMEOUT = Symbol('timeout');

/** Settle `p` within `ms`, or resolve to TIMEOUT. */
async function within<T>(ms: number, p: PromiseLike<T>): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome line of calling `f` (synchronously or not); never rejects. */
async function lineOf(f: () => unknown, ms: number, mustBeSync: boolean): Promise<string> {
  let v: unknown;
  try {
    v = f();
  } catch (e) {
    return exnLine(e);
  }
  if (!isThenable(v)) return show(v);
  // DESIGN.md: some procedures are synchronous, always; a Promise there is a divergence.
  const prefix = mustBeSync ? '#<promise> ' : '';
  try {
    const r = await within(ms, v);
    return prefix + (r === TIMEOUT ? 'TIMEOUT' : show(r));
  } catch (e) {
    return prefix + exnLine(e);
  }
}

/** Outcome lines of started steps, in arrival order (Racket: a channel). */
export interface LineChannel {
  lines: string[];
  waiters: ((line: string) => void)[];
}

/** One scenario's recorder: the twin of the step forms of harness.rkt. */
export class T {
  readonly lines: string[] = [];
  private readonly sockets: unknown[] = [];

  /** `(step e)`: e may return a Promise (blocking procedures do); TIMEOUT after `secs`. */
  async step(f: () => unknown, secs = 3): Promise<void> {
    this.lines.push(await lineOf(f, secs * 1000, false));
  }

  /** `(step/within secs e)`. */
  within(secs: number, f: () => unknown): Promise<void> {
    return this.step(f, secs);
  }

  /** `(step e)` for a procedure DESIGN.md makes synchronous: a Promise result is marked. */
  async now(f: () => unknown): Promise<void> {
    this.lines.push(await lineOf(f, 3000, true));
  }

  /** `(step/during e action)`: start e, do action 50 ms later, then record e's outcome. */
  async during(f: () => unknown, action: () => unknown): Promise<void> {
    const pending = lineOf(f, 5000, false);
    await delay(50);
    await action();
    this.lines.push(await pending);
  }

  /** `(step/break-after secs e)`: e gets a signal that is aborted after `secs`. */
  async breakAfter(secs: number, f: (opts: { signal: AbortSignal }) => unknown): Promise<void> {
    const controller = new AbortController();
    const pending = lineOf(() => f({ signal: controller.signal }), 5000, false);
    await delay(secs * 1000);
    controller.abort();
    this.lines.push(await pending);
  }

  /** `(make-channel)` for `start`/`await`: a queue of outcome lines. */
  channel(): LineChannel {
    return { lines: [], waiters: [] };
  }

  /** `(start ch e)`: run e concurrently; its outcome line goes to ch. */
  start(ch: LineChannel, f: () => unknown): void {
    void lineOf(f, 10_000, false).then((line) => {
      const waiter = ch.waiters.shift();
      if (waiter) waiter(line);
      else ch.lines.push(line);
    });
  }

  /** `(step/await ch secs)`: the first line to arrive in ch, or TIMEOUT. */
  async await(ch: LineChannel, secs: number): Promise<void> {
    const ready = ch.lines.shift();
    if (ready !== undefined) {
      this.lines.push(ready);
      return;
    }
    let waiter: ((line: string) => void) | undefined;
    const line = await within(
      secs * 1000,
      new Promise<string>((resolve) => {
        waiter = resolve;
        ch.waiters.push(resolve);
      }),
    );
    if (line === TIMEOUT) ch.waiters.splice(ch.waiters.indexOf(waiter!), 1);
    this.lines.push(line === TIMEOUT ? 'TIMEOUT' : line);
  }

  /** `(step/same? v e)`: #t when e's result is v itself. */
  async same(v: unknown, f: () => unknown): Promise<void> {
    let line: string;
    try {
      const r = await within(3000, Promise.resolve(f()));
      line = r === v ? '#t' : `(not-same ${r === TIMEOUT ? 'TIMEOUT' : show(r)})`;
    } catch (e) {
      line = exnLine(e);
    }
    this.lines.push(line);
  }

  /** `(note s)`. */
  note(s: string): void {
    this.lines.push(`;; ${s}`);
  }

  /** `(udp-open-socket args ...)`, remembered so the socket is closed even if the scenario aborts. */
  async open(...args: unknown[]): Promise<unknown> {
    const s = await U.udpOpenSocket(...args);
    this.sockets.push(s);
    return s;
  }

  /** The custodian shutdown of harness.rkt: close what the scenario left open. */
  cleanup(): void {
    for (const s of this.sockets) {
      try {
        U.udpClose(s);
      } catch {
        // already closed by the scenario
      }
    }
  }
}

/** `(pause)`: let datagrams arrive. */
export const pause = () => delay(50);

/** `(port-of s)`. */
export const portOf = (s: unknown): number => (U.udpAddresses(s, true) as unknown[])[1] as number;

/** A byte-string literal. */
export const b = (s: string): Uint8Array => new TextEncoder().encode(s);

/** `(bytes n ...)`. */
export const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

/** `(make-bytes n fill)`; the scenarios fill with 46 (`.`) so untouched bytes show. */
export const makeBytes = (n: number, fill = 0): Uint8Array => new Uint8Array(n).fill(fill);

/** `(subbytes b start end)`. */
export const subbytes = (x: unknown, start: number, end: number): Uint8Array => (x as Uint8Array).slice(start, end);

export interface Scenario {
  group: string;
  name: string;
  run: (t: T) => Promise<void>;
  /**
   * Only for the Racket 8.7 bugs of reference/racket-udp.md: turns Racket's transcript into the
   * one our documented behaviour gives.  Everything not rewritten is still compared with Racket.
   */
  diverges?: { why: string; expect: (racket: string[]) => string[] };
}

/** Declare scenarios of one group, in the order of the group's .rkt file. */
export function group(name: string) {
  const list: Scenario[] = [];
  const scenario = (scenarioName: string, run: (t: T) => Promise<void>, diverges?: Scenario['diverges']) => {
    list.push({ group: name, name: scenarioName, run, ...(diverges ? { diverges } : {}) });
  };
  return { list, scenario };
}

/** Run one scenario and return its transcript (never rejects). */
export async function runScenario(sc: Scenario): Promise<string[]> {
  const t = new T();
  try {
    await sc.run(t);
  } catch (e) {
    t.lines.push(`ABORT ${exnLine(e)}`);
  } finally {
    t.cleanup();
  }
  return t.lines;
}

/** Parse harness.rkt's output into name → transcript. */
export function parseTranscripts(out: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('== ')) {
      const name = line.slice(3);
      current = name === 'END' ? undefined : [];
      if (current) map.set(name, current);
    } else if (current && line !== '') current.push(line);
  }
  return map;
}

/** Linux's ephemeral port range: every port the scenarios see comes from it (bind to port 0). */
const ephemeral: [number, number] = (() => {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi && lo <= hi) return [lo, hi];
  } catch {
    // not Linux: fall back to every registered/dynamic port
  }
  return [1024, 65535];
})();

/**
 * Replace ephemeral ports (every distinct integer in the ephemeral range standing alone) by P1,
 * P2… in order of first appearance, so two runs on different ports compare equal.  Sizes the
 * scenarios print (1000, 65507, 65527…) lie outside that range and stay verbatim.
 */
export function normalise(lines: string[]): string[] {
  const seen = new Map<string, string>();
  return lines.map((line) =>
    line.replace(/(?<![\w.\\])\d{4,5}(?![\w.])/g, (m) => {
      const n = Number(m);
      if (n < ephemeral[0] || n > ephemeral[1]) return m;
      let p = seen.get(m);
      if (!p) {
        p = `P${seen.size + 1}`;
        seen.set(m, p);
      }
      return p;
    }),
  );
}
