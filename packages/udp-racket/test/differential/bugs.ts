// Group "bugs" — the twin of bugs.rkt: the Racket 8.7 bugs we do NOT reproduce
// (reference/racket-udp.md, "Racket 8.7 bugs").  Each scenario's `expect` rewrites Racket's
// transcript into our documented behaviour; every other line is still Racket's.
import { b, group, makeBytes, pause, portOf, type T, U } from './harness.js';

const { list, scenario } = group('bugs');
export default list;

async function boundSocket(t: T): Promise<unknown> {
  const s = await t.open();
  await U.udpBind(s, '127.0.0.1', 0);
  return s;
}

/** Replace line i of Racket's transcript, checking it is the buggy line we expect. */
const replace =
  (edits: Record<number, [racket: string | RegExp, ours: string]>) =>
  (racket: string[]): string[] =>
    racket.map((line, i) => {
      const edit = edits[i];
      if (!edit) return line;
      const [was, ours] = edit;
      const matches = typeof was === 'string' ? line === was : was.test(line);
      return matches ? ours : `racket printed ${line}, not the known bug ${String(was)}`;
    });

const emptySendBug =
  'reference/racket-udp.md "Racket 8.7 bugs": an empty datagram is sent but udp-send-to hangs / udp-send-to* returns #f; ours returns void / #t';

scenario(
  'bug: udp-send-to* of an empty byte string',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(4, 46);
    await t.now(() => portOf(s));
    await t.now(() => U.udpSendToStar(s, '127.0.0.1', portOf(r), b('')));
    await t.within(1, () => U.udpReceive(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  { why: emptySendBug, expect: replace({ 1: ['#f', '#t'] }) },
);

scenario(
  'bug: udp-send-to of an empty byte string',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(4, 46);
    await t.now(() => portOf(s));
    await t.within(0.3, () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('abc'), 2, 2));
    await t.within(1, () => U.udpReceive(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  { why: emptySendBug, expect: replace({ 1: ['TIMEOUT', '#<void>'] }) },
);

scenario(
  'bug: udp-send* and udp-send of an empty byte string',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(4, 46);
    await t.now(() => portOf(s));
    await U.udpConnect(s, '127.0.0.1', portOf(r));
    await t.now(() => U.udpSendStar(s, b('')));
    await t.within(1, () => U.udpReceive(r, buf));
    await t.within(0.3, () => U.udpSend(s, b('')));
    await t.within(1, () => U.udpReceive(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  { why: emptySendBug, expect: replace({ 1: ['#f', '#t'], 3: ['TIMEOUT', '#<void>'] }) },
);

scenario(
  'bug: udp-send-to-evt of an empty byte string',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(4, 46);
    await t.now(() => portOf(s));
    await t.step(() => U.syncTimeout(0.3, U.udpSendToEvt(s, '127.0.0.1', portOf(r), b(''))));
    await t.within(1, () => U.udpReceive(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  {
    why: `${emptySendBug} (a send evt is never ready in Racket; ours syncs to void)`,
    expect: replace({ 1: ['#f', '#<void>'] }),
  },
);

scenario(
  'bug: a 65508-byte IPv4 datagram',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(70000, 46);
    await U.udpSetReceiveBufferSize(r, 300000);
    await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), makeBytes(65508, 122)));
    await pause();
    await t.now(() => U.udpReceiveStar(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  {
    why: 'reference/racket-udp.md "Racket 8.7 bugs": over 65507 bytes Racket sends a half-length datagram and raises an unrelated contract error; ours sends nothing and raises errno 90',
    expect: replace({
      0: [
        /^EXN exn:fail:contract "string-append: contract violation/,
        'EXN exn:fail:network:errno (90 . posix) "udp-send-to: send failed\\n  system error: Message too long; errno=90"',
      ],
      1: [/^\(32754 "127\.0\.0\.1" \d+\)$/, '(#f #f #f)'],
    }),
  },
);

const tooLongBug =
  'reference/racket-udp.md "Racket 8.7 bugs": over the maximum datagram size Racket sends a half-length datagram and raises an unrelated contract error; ours sends nothing and raises errno 90';

scenario(
  'bug: a 70000-byte datagram with udp-send-to*',
  async (t) => {
    const r = await boundSocket(t);
    const s = await boundSocket(t);
    const buf = makeBytes(70000, 46);
    await U.udpSetReceiveBufferSize(r, 300000);
    await t.now(() => U.udpSendToStar(s, '127.0.0.1', portOf(r), makeBytes(70000, 122)));
    await pause();
    await t.now(() => U.udpReceiveStar(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  {
    why: tooLongBug,
    expect: replace({
      0: [
        /^EXN exn:fail:contract "string-append: contract violation/,
        'EXN exn:fail:network:errno (90 . posix) "udp-send-to*: send failed\\n  system error: Message too long; errno=90"',
      ],
      1: [/^\(35000 "127\.0\.0\.1" \d+\)$/, '(#f #f #f)'],
    }),
  },
);

scenario(
  'bug: IPv6 datagrams of 65527 and 65528 bytes',
  async (t) => {
    const r = await t.open('::1', false);
    const s = await t.open('::1', false);
    const buf = makeBytes(70000, 46);
    await U.udpBind(r, '::1', 0);
    await U.udpBind(s, '::1', 0);
    await U.udpSetReceiveBufferSize(r, 300000);
    await t.now(() => portOf(s));
    await t.step(() => U.udpSendTo(s, '::1', portOf(r), makeBytes(65527, 122)));
    await t.step(() => U.udpReceive(r, buf));
    await t.step(() => U.udpSendTo(s, '::1', portOf(r), makeBytes(65528, 122)));
    await pause();
    await t.now(() => U.udpReceiveStar(r, buf));
    U.udpClose(r);
    U.udpClose(s);
  },
  {
    why: `${tooLongBug} (the IPv6 maximum is 65527 bytes)`,
    expect: replace({
      3: [
        /^EXN exn:fail:contract "string-append: contract violation/,
        'EXN exn:fail:network:errno (90 . posix) "udp-send-to: send failed\\n  system error: Message too long; errno=90"',
      ],
      4: [/^\(32764 "::1" \d+\)$/, '(#f #f #f)'],
    }),
  },
);
