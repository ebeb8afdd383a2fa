// @udpkit/udp-racket: a Racket-style exchange. An echo server loops on `sync` over a receive evt
// (handle-evt sends the echo) until its socket is closed; the client sends numbered datagrams and
// waits for each echo with `sync/timeout` (a timeout is a lost datagram, sent again), then shows
// that `sync/timeout` gives #f when nothing comes. Errors are Racket's, text and all.

import { randomBytes } from 'node:crypto';
import {
  handleEvt,
  isUdp,
  racket,
  sync,
  syncTimeout,
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceiveEvt,
  udpSendTo,
  wrapEvt,
} from '@udpkit/udp-racket';
import { sha256 } from '../content.js';
import { check, type Step } from './step.js';

const ROUNDS = 200;
const SIZE = 1024;

export const racketExchangeStep: Step = {
  name: 'udp-racket: sync/syncTimeout echo',
  async run() {
    const server = await udpOpenSocket('127.0.0.1');
    const client = await udpOpenSocket('127.0.0.1');
    try {
      check(isUdp(server) && racket['udp?'](client), 'udp? of both sockets');
      await udpBind(server, '127.0.0.1', 0);
      await udpBind(client, '127.0.0.1', 0);
      const [, serverPort] = udpAddresses(server, true) as [string, number, string, number];

      // Server: (let loop () (sync (handle-evt (udp-receive!-evt s buf) echo)) (loop)) — it ends
      // when the socket is closed under it: the receive evt is then ready and raises.
      const serverBuf = new Uint8Array(SIZE + 16);
      const serverLoop = (async () => {
        let echoed = 0;
        for (;;) {
          try {
            await sync(
              handleEvt(udpReceiveEvt(server, serverBuf), ([n, host, port]) =>
                udpSendTo(server, host, port, serverBuf, 0, n),
              ),
            );
            echoed++;
          } catch (error) {
            if ((error as Error).message.includes('udp socket is closed')) return echoed;
            throw error;
          }
        }
      })();
      serverLoop.catch(() => {}); // awaited below; a failure before that must not go unhandled

      // Client: send, then (sync/timeout 1 (wrap-evt (udp-receive!-evt c buf) ...)).
      const sent = new Uint8Array(ROUNDS * SIZE);
      const received = new Uint8Array(ROUNDS * SIZE);
      const clientBuf = new Uint8Array(SIZE + 16);
      let retries = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const payload = randomBytes(SIZE);
        payload.writeUInt32BE(i, 0);
        sent.set(payload, i * SIZE);
        for (;;) {
          await udpSendTo(client, '127.0.0.1', serverPort, payload);
          const got = await syncTimeout(
            1,
            wrapEvt(udpReceiveEvt(client, clientBuf), ([n, , port]) => ({ n, port })),
          );
          if (got === false) {
            retries++;
            check(retries < 5, 'echo server answers');
            continue;
          }
          check(got.port === serverPort && got.n === SIZE, 'echo comes from the server, whole');
          if (Buffer.from(clientBuf.buffer, 0, 4).readUInt32BE(0) !== i) continue; // a late duplicate
          received.set(clientBuf.subarray(0, SIZE), i * SIZE);
          break;
        }
      }
      // Nothing more is coming: sync/timeout answers #f.
      const idle = await syncTimeout(0.05, udpReceiveEvt(client, clientBuf));
      check(idle === false, 'sync/timeout gives #f when no datagram comes');
      udpClose(server);
      const echoed = await serverLoop;
      const match = sha256(sent) === sha256(received);
      return {
        ok: match && echoed >= ROUNDS,
        bytes: sent.length * 2,
        sha256: match,
        note: `${ROUNDS} × ${SIZE} B echoed (sync + handle-evt, sync/timeout 1 per reply); #f when idle${retries ? `; ${retries} retries` : ''}`,
      };
    } finally {
      closeQuietly(client);
      closeQuietly(server);
    }
  },
};

/** udp-close raises on a closed socket, as in Racket; cleanup does not care. */
function closeQuietly(u: Parameters<typeof udpClose>[0]): void {
  try {
    udpClose(u);
  } catch {}
}

export const racketBreakStep: Step = {
  name: 'udp-racket: closed socket raises',
  async run() {
    const u = await udpOpenSocket();
    await udpBind(u, '127.0.0.1', 0);
    udpClose(u);
    let message = '';
    try {
      await sync(udpReceiveEvt(u, new Uint8Array(8)));
    } catch (error) {
      message = (error as Error).message;
    }
    check(message.includes('udp socket is closed'), `Racket's message (got ${JSON.stringify(message)})`);
    return { ok: true, note: JSON.stringify(message.split('\n')[0]) };
  },
};

export const udpRacketSteps: Step[] = [racketExchangeStep, racketBreakStep];
