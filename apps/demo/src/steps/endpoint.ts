// @udpkit/endpoint: Cowan's network endpoints — parse and print, look a name up, and convert to
// and from the { address, port, family } objects node:dgram uses.

import dgram from 'node:dgram';
import {
  makeNetworkEndpoint,
  networkEndpointBytevectorAddress,
  networkEndpointEqual,
  networkEndpointFromAddressInfo,
  networkEndpointHost,
  networkEndpointPort,
  networkEndpointStringAddress,
  networkEndpointToAddressInfo,
  parseNetworkEndpoint,
  resolveNetworkEndpoint,
  scheme,
} from '@udpkit/endpoint';
import { check, type Step } from './step.js';

export const parseStep: Step = {
  name: 'endpoint: parse, print, compare',
  async run() {
    const texts = ['127.0.0.1:69', '[::1]:6969', '[fe80::1%lo]:6969', 'localhost:69'];
    for (const text of texts) {
      const ep = parseNetworkEndpoint(text);
      check(networkEndpointEqual(parseNetworkEndpoint(String(ep)), ep), `${text} survives print → parse`);
    }
    // (make-network-endpoint "0:0:0:0:0:0:0:1" "tftp"): RFC 5952 text, service name → port
    const tftp = scheme['make-network-endpoint']('0:0:0:0:0:0:0:1', 'tftp');
    check(networkEndpointStringAddress(tftp) === '::1', 'RFC 5952 address text');
    check(networkEndpointPort(tftp) === 69, "service 'tftp' is port 69");
    check(String(tftp) === '[::1]:69', 'printed form');
    const bytes = networkEndpointBytevectorAddress(tftp);
    check(bytes instanceof Uint8Array && bytes.length === 16, '16-byte address');
    check(networkEndpointEqual(makeNetworkEndpoint(bytes, 69), tftp), 'bytevector address round trip');
    check(networkEndpointHost(makeNetworkEndpoint()) === true, '(make-network-endpoint) is host #t');
    let refused = false;
    try {
      parseNetworkEndpoint('127.0.0.1:99999');
    } catch {
      refused = true;
    }
    check(refused, 'port 99999 refused');
    return { ok: true, note: `${texts.length} texts round-trip; [::1]:69 from ("0:…:1", "tftp"); bad port refused` };
  },
};

export const resolveStep: Step = {
  name: 'endpoint: resolve localhost',
  async run({ signal }) {
    const named = makeNetworkEndpoint('localhost', 'tftp');
    const resolved = await resolveNetworkEndpoint(named, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]),
    });
    const address = networkEndpointStringAddress(resolved);
    check(address === '127.0.0.1' || address === '::1', `localhost is loopback (got ${String(address)})`);
    check(networkEndpointHost(resolved) === 'localhost', 'the name is kept');
    check(networkEndpointPort(resolved) === 69, 'the port is kept');
    return { ok: true, note: `localhost:tftp → ${String(address)} port 69` };
  },
};

export const dgramStep: Step = {
  name: 'endpoint: node:dgram round trip',
  async run() {
    // A raw node:dgram echo: endpoints made from rinfo / socket.address() address the reply.
    const server = dgram.createSocket('udp4');
    const client = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
      await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
      const serverEp = networkEndpointFromAddressInfo(server.address());
      server.on('message', (msg, rinfo) => {
        const { address, port } = networkEndpointToAddressInfo(networkEndpointFromAddressInfo(rinfo));
        server.send(msg, port, address);
      });
      const to = networkEndpointToAddressInfo(serverEp);
      const reply = new Promise<[Buffer, dgram.RemoteInfo]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no echo within 2 s')), 2000);
        client.once('message', (msg, rinfo) => {
          clearTimeout(timer);
          resolve([msg, rinfo]);
        });
      });
      client.send('ping', to.port, to.address);
      const [msg, rinfo] = await reply;
      check(msg.toString() === 'ping', 'echoed payload');
      check(networkEndpointEqual(networkEndpointFromAddressInfo(rinfo), serverEp), 'reply comes from the endpoint');
      return { ok: true, bytes: msg.length * 2, note: `ping via ${String(serverEp)} and back` };
    } finally {
      client.close();
      server.close();
    }
  },
};

export const endpointSteps: Step[] = [parseStep, resolveStep, dgramStep];
