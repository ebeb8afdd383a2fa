// The seed's TFTP-shaped exchange with a tiny request/response protocol, in the order that
// works (reference/cowan.md): the server receives the first datagram on its listening channel,
// opens a fresh channel, connects it to the client and answers there; the client sends its
// request with send-to from an unconnected channel, then connects to the source of the first
// reply. Several clients at once.
//
// Protocol: request "GET <name> <count>"; the server answers "<name>:1", then, for every
// "ACK <i>" it receives, "<name>:<i+1>", up to <count>; the client acks every answer.

import { makeNetworkEndpoint, type NetworkEndpoint } from '@udpkit/endpoint';
import { describe, expect, test } from 'vitest';
import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelReceiveFrom,
  datagramChannelRemoteEndpoint,
  datagramChannelSend,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '../src/index.js';
import { addressOf, bytes, FAMILIES, text, track } from './helpers.js';

async function serveOne(client: NetworkEndpoint, request: string, loopback: string): Promise<void> {
  const [, name, countText] = request.split(' ');
  const count = Number(countText);
  // a fresh channel on an OS-chosen port, connected to the client
  const ch = track(await makeDatagramChannel(makeNetworkEndpoint(loopback, 0)));
  try {
    await datagramChannelConnect(ch, client);
    const buf = new Uint8Array(64);
    await datagramChannelSend(ch, bytes(`${name}:1`));
    for (let i = 1; i < count; ) {
      const [from, complete, n] = await datagramChannelReceiveFrom(ch, buf, { signal: AbortSignal.timeout(5000) });
      expect(complete).toBe(true);
      expect(from.port).toBe(client.port);
      const ack = text(buf, n);
      if (ack !== `ACK ${i}`) continue;
      i++;
      await datagramChannelSend(ch, bytes(`${name}:${i}`));
    }
    // the last ack
    await datagramChannelReceiveFrom(ch, buf, { signal: AbortSignal.timeout(5000) });
  } finally {
    datagramChannelClose(ch);
  }
}

async function server(listening: DatagramChannel, clients: number, loopback: string): Promise<void> {
  const buf = new Uint8Array(512);
  const sessions: Promise<void>[] = [];
  for (let k = 0; k < clients; k++) {
    const [client, complete, n] = await datagramChannelReceiveFrom(listening, buf, {
      signal: AbortSignal.timeout(5000),
    });
    expect(complete).toBe(true);
    sessions.push(serveOne(client, text(buf, n), loopback));
  }
  await Promise.all(sessions);
}

async function client(serverEp: NetworkEndpoint, name: string, count: number, loopback: string): Promise<string[]> {
  const ch = track(await makeDatagramChannel(makeNetworkEndpoint(loopback, 0)));
  try {
    // unconnected: the request goes to the well-known port with send-to
    await datagramChannelSendTo(ch, serverEp, bytes(`GET ${name} ${count}`));
    const buf = new Uint8Array(64);
    const [from, , n] = await datagramChannelReceiveFrom(ch, buf, { signal: AbortSignal.timeout(5000) });
    expect(from.port).not.toBe(serverEp.port); // the answer comes from the transfer port
    await datagramChannelConnect(ch, from);
    expect(datagramChannelRemoteEndpoint(ch)).not.toBe(false);
    const got = [text(buf, n)];
    await datagramChannelSend(ch, bytes('ACK 1'));
    while (got.length < count) {
      const [, , m] = await datagramChannelReceiveFrom(ch, buf, { signal: AbortSignal.timeout(5000) });
      got.push(text(buf, m));
      await datagramChannelSend(ch, bytes(`ACK ${got.length}`));
    }
    return got;
  } finally {
    datagramChannelClose(ch);
  }
}

for (const fam of FAMILIES) {
  describe(`TFTP-shaped exchange on ${fam.name}`, () => {
    test('one client', async () => {
      const listening = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0)));
      const serving = server(listening, 1, fam.loopback);
      const got = await client(addressOf(listening), 'a', 5, fam.loopback);
      await serving;
      expect(got).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    });

    test('eight clients at once, each on its own transfer channel', async () => {
      const listening = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0)));
      const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      const serving = server(listening, names.length, fam.loopback);
      const results = await Promise.all(names.map((n, i) => client(addressOf(listening), n, 10 + i, fam.loopback)));
      await serving;
      results.forEach((got, i) => {
        const n = names[i]!;
        expect(got).toEqual(Array.from({ length: 10 + i }, (_, j) => `${n}:${j + 1}`));
      });
    });

    test("the seed's connect-first order cannot work: the reply from the transfer port is ignored", async () => {
      const listening = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0)));
      const transfer = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0)));
      const cl = track(await makeDatagramChannel(makeNetworkEndpoint(fam.loopback, 0)));
      await datagramChannelConnect(cl, addressOf(listening));
      await datagramChannelSend(cl, bytes('GET x 1'));
      const buf = new Uint8Array(16);
      const [from] = await datagramChannelReceiveFrom(listening, buf);
      await datagramChannelSendTo(transfer, from, bytes('x:1'));
      const e = (await datagramChannelReceiveFrom(cl, buf, { signal: AbortSignal.timeout(100) }).catch(
        (error: unknown) => error,
      )) as Error;
      expect(e.name).toBe('TimeoutError');
    });
  });
}
