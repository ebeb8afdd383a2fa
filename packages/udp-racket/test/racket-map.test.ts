import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { racket } from '../src/index.js';

const NAMES: Record<string, string> = {
  'udp-open-socket': 'udpOpenSocket',
  'udp-bind!': 'udpBind',
  'udp-connect!': 'udpConnect',
  'udp-send-to': 'udpSendTo',
  'udp-send': 'udpSend',
  'udp-send-to*': 'udpSendToStar',
  'udp-send*': 'udpSendStar',
  'udp-send-to/enable-break': 'udpSendToEnableBreak',
  'udp-send/enable-break': 'udpSendEnableBreak',
  'udp-receive!': 'udpReceive',
  'udp-receive!*': 'udpReceiveStar',
  'udp-receive!/enable-break': 'udpReceiveEnableBreak',
  'udp-set-receive-buffer-size!': 'udpSetReceiveBufferSize',
  'udp-close': 'udpClose',
  'udp?': 'isUdp',
  'udp-bound?': 'isUdpBound',
  'udp-connected?': 'isUdpConnected',
  'udp-send-ready-evt': 'udpSendReadyEvt',
  'udp-receive-ready-evt': 'udpReceiveReadyEvt',
  'udp-send-to-evt': 'udpSendToEvt',
  'udp-send-evt': 'udpSendEvt',
  'udp-receive!-evt': 'udpReceiveEvt',
  'udp-addresses': 'udpAddresses',
  'udp-set-ttl!': 'udpSetTtl',
  'udp-ttl': 'udpTtl',
  'udp-multicast-join-group!': 'udpMulticastJoinGroup',
  'udp-multicast-leave-group!': 'udpMulticastLeaveGroup',
  'udp-multicast-interface': 'udpMulticastInterface',
  'udp-multicast-set-interface!': 'udpMulticastSetInterface',
  'udp-multicast-set-loopback!': 'udpMulticastSetLoopback',
  'udp-multicast-loopback?': 'isUdpMulticastLoopback',
  'udp-multicast-set-ttl!': 'udpMulticastSetTtl',
  'udp-multicast-ttl': 'udpMulticastTtl',
};

describe('the racket map', () => {
  it('has all 33 bindings, the same function objects as the camelCase exports', () => {
    expect(Object.keys(racket).sort()).toEqual(Object.keys(NAMES).sort());
    expect(Object.keys(racket)).toHaveLength(33);
    for (const [rkt, ts] of Object.entries(NAMES)) {
      expect((racket as Record<string, unknown>)[rkt], rkt).toBe((api as Record<string, unknown>)[ts]);
      expect(typeof (api as Record<string, unknown>)[ts], ts).toBe('function');
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(racket)).toBe(true);
    expect(() => {
      (racket as Record<string, unknown>)['udp-close'] = () => {};
    }).toThrow(TypeError);
  });

  it('keeps the extensions out of the map', () => {
    const values = new Set(Object.values(racket));
    for (const ext of [api.udpReceiveDatagram, api.udpSendToAny, api.udpDroppedCount, api.udpSetBroadcast]) {
      expect(values.has(ext as never)).toBe(false);
    }
  });
});
