// A user-space UDP relay between clients and one server, on loopback, that applies a seeded
// FaultPlan to every datagram in each direction. Built on the project's own channels.
//
// TFTP servers answer from a new port per transfer (RFC 1350 §4), and clients lock onto the
// port that answers. So the relay maps ports symmetrically, like a NAT: per client it keeps one
// upstream channel towards the server, and per server port X seen there one client-facing
// channel; datagrams the client sends to that channel go to X. The main listening channel
// stands for the server's well-known port.

import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelLocalEndpoint,
  datagramChannelReceiveFrom,
  datagramChannelSendTo,
  makeDatagramChannel,
} from '@udpkit/datagram-channel';
import {
  makeNetworkEndpoint,
  type NetworkEndpoint,
  networkEndpointKey,
  networkEndpointPort,
  networkEndpointStringAddress,
} from '@udpkit/endpoint';
import { createFaultPlan, type FaultCounts, type FaultOptions, type FaultPlan } from './faults.js';

export interface FaultRelayOptions {
  /** The real server's endpoint (numeric loopback address). */
  target: NetworkEndpoint;
  /** Faults on datagrams from clients to the server. */
  toServer?: FaultOptions;
  /** Faults on datagrams from the server to clients. */
  toClient?: FaultOptions;
}

export interface FaultRelay extends AsyncDisposable {
  /** Where clients send: stands for the server's well-known port. */
  readonly endpoint: NetworkEndpoint;
  readonly counts: { readonly toServer: FaultCounts; readonly toClient: FaultCounts };
  close(): Promise<void>;
}

interface Session {
  client: NetworkEndpoint;
  upstream: DatagramChannel;
  /** Client-facing channel per server port. */
  fronts: Map<number, DatagramChannel>;
}

const MAX_DATAGRAM = 65535;

export async function startFaultRelay(options: FaultRelayOptions): Promise<FaultRelay> {
  const { target } = options;
  const host = networkEndpointStringAddress(target);
  if (host === true) throw new TypeError('fault-relay: target must carry a numeric address');
  const targetPort = networkEndpointPort(target);
  const toServer = createFaultPlan(options.toServer);
  const toClient = createFaultPlan(options.toClient);
  const channels = new Set<DatagramChannel>();
  const timers = new Set<NodeJS.Timeout>();
  const sessions = new Map<string, Session>();
  const loops: Promise<void>[] = [];
  let closed = false;

  const open = async () => {
    const channel = await makeDatagramChannel(makeNetworkEndpoint(host, 0));
    channels.add(channel);
    return channel;
  };

  // Delivers a copy of the datagram as the plan decides: dropped, once, twice, late.
  const forward = (plan: FaultPlan, via: DatagramChannel, to: NetworkEndpoint, bytes: Uint8Array) => {
    for (const delay of plan.decide()) {
      const send = () => {
        if (!closed) datagramChannelSendTo(via, to, bytes).catch(() => {});
      };
      if (delay <= 0) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, delay);
        timers.add(timer);
      }
    }
  };

  // Receives on `channel` until it closes, handing each datagram (a fresh copy) to `on`.
  const pump = (channel: DatagramChannel, on: (from: NetworkEndpoint, bytes: Uint8Array) => void | Promise<void>) => {
    const buffer = new Uint8Array(MAX_DATAGRAM);
    const loop = async () => {
      while (!closed) {
        let result: Awaited<ReturnType<typeof datagramChannelReceiveFrom>>;
        try {
          result = await datagramChannelReceiveFrom(channel, buffer);
        } catch {
          if (closed) return;
          continue; // e.g. an ICMP error surfaced on the socket: the relay keeps going
        }
        await on(result[0], buffer.slice(0, result[2]));
      }
    };
    loops.push(loop());
  };

  const session = async (client: NetworkEndpoint): Promise<Session> => {
    const key = networkEndpointKey(client);
    const known = sessions.get(key);
    if (known) return known;
    const fresh: Session = { client, upstream: await open(), fronts: new Map([[targetPort, main]]) };
    sessions.set(key, fresh);
    pump(fresh.upstream, async (from, bytes) => {
      const port = networkEndpointPort(from);
      let front = fresh.fronts.get(port);
      if (!front) {
        front = await open();
        fresh.fronts.set(port, front);
        const serverSide = makeNetworkEndpoint(host, port);
        pump(front, (sender, data) => {
          if (networkEndpointKey(sender) === key) forward(toServer, fresh.upstream, serverSide, data);
        });
      }
      forward(toClient, front, client, bytes);
    });
    return fresh;
  };

  const main = await open();
  pump(main, async (client, bytes) => {
    const s = await session(client);
    forward(toServer, s.upstream, target, bytes);
  });

  const endpoint = datagramChannelLocalEndpoint(main) as NetworkEndpoint;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const channel of channels) datagramChannelClose(channel);
    await Promise.allSettled(loops);
  };
  return {
    endpoint,
    counts: { toServer: toServer.counts, toClient: toClient.counts },
    close,
    [Symbol.asyncDispose]: close,
  };
}
