import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelSend,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import { makeNetworkEndpoint, type NetworkEndpoint, networkEndpointPort } from '@udpkit/endpoint';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultRelay, startFaultRelay } from '../src/index.js';

const text = new TextEncoder();
const open: DatagramChannel[] = [];
const relays: FaultRelay[] = [];
const channel = async (host: string) => {
  const ch = await makeDatagramChannel(makeNetworkEndpoint(host, 0));
  open.push(ch);
  return ch;
};
const local = (ch: DatagramChannel) => datagramChannelLocalEndpoint(ch) as NetworkEndpoint;
const receive = async (ch: DatagramChannel, ms = 2000) => {
  const buffer = new Uint8Array(1500);
  const [from, , n] = await datagramChannelReceiveFrom(ch, buffer, { signal: AbortSignal.timeout(ms) });
  return { from, data: new TextDecoder().decode(buffer.subarray(0, n)) };
};

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
  for (const ch of open.splice(0)) datagramChannelClose(ch);
});

// The seed's TFTP shape: the server answers each first datagram from a fresh channel connected
// to the client, and echoes everything that comes to that channel afterwards.
async function tftpShapedServer(host: string) {
  const listener = await channel(host);
  void (async () => {
    const buffer = new Uint8Array(1500);
    for (;;) {
      let first: Awaited<ReturnType<typeof datagramChannelReceiveFrom>>;
      try {
        first = await datagramChannelReceiveFrom(listener, buffer);
      } catch {
        return;
      }
      const transfer = await channel(host);
      await datagramChannelConnect(transfer, first[0]);
      await datagramChannelSend(
        transfer,
        text.encode(`hello ${new TextDecoder().decode(buffer.subarray(0, first[2]))}`),
      );
      void (async () => {
        const own = new Uint8Array(1500);
        for (;;) {
          try {
            const [, , n] = await datagramChannelReceiveFrom(transfer, own);
            await datagramChannelSend(transfer, own, 0, n);
          } catch {
            return;
          }
        }
      })();
    }
  })();
  return listener;
}

describe.each(['127.0.0.1', '::1'])('fault relay on %s', (host) => {
  it('relays a request, maps the transfer port, and carries the exchange both ways', async () => {
    const server = await tftpShapedServer(host);
    const relay = await startFaultRelay({ target: local(server) });
    relays.push(relay);
    const client = await channel(host);

    await datagramChannelSendTo(client, relay.endpoint, text.encode('client'));
    const reply = await receive(client);
    expect(reply.data).toBe('hello client');
    // The reply comes from a relay port standing for the server's transfer port.
    expect(networkEndpointPort(reply.from)).not.toBe(networkEndpointPort(relay.endpoint));
    expect(networkEndpointPort(reply.from)).not.toBe(networkEndpointPort(local(server)));

    await datagramChannelConnect(client, reply.from);
    await datagramChannelSend(client, text.encode('ping'));
    expect((await receive(client)).data).toBe('ping');
    expect(relay.counts.toServer.delivered).toBe(2);
    expect(relay.counts.toClient.delivered).toBe(2);
  });

  it('drops and duplicates as configured, and counts it', async () => {
    const server = await tftpShapedServer(host);
    const relay = await startFaultRelay({ target: local(server), toClient: { duplicate: 1 } });
    relays.push(relay);
    const client = await channel(host);
    await datagramChannelSendTo(client, relay.endpoint, text.encode('x'));
    const a = await receive(client);
    const b = await receive(client);
    expect([a.data, b.data]).toEqual(['hello x', 'hello x']);
    expect(relay.counts.toClient.duplicated).toBe(1);

    const lossy = await startFaultRelay({ target: local(server), toServer: { loss: 1 } });
    relays.push(lossy);
    await datagramChannelSendTo(client, lossy.endpoint, text.encode('lost'));
    await expect(receive(client, 200)).rejects.toThrow();
    expect(lossy.counts.toServer.dropped).toBe(1);
  });

  it('delays datagrams and releases its timers and channels on close', async () => {
    const server = await tftpShapedServer(host);
    const relay = await startFaultRelay({ target: local(server), toServer: { delayMs: 30 } });
    const client = await channel(host);
    await datagramChannelSendTo(client, relay.endpoint, text.encode('late'));
    await relay.close();
    await relay.close(); // idempotent
    // The delayed datagram was still pending at close: it must never arrive.
    await expect(receive(client, 200)).rejects.toThrow();
  });
});
