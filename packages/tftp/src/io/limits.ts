// Server admission (reference/tftp.md "A safe server"): which request sources are answered at
// all, and how many transfers run at once, in total and per client address.

import type { NetworkEndpoint } from '@udpkit/endpoint';

export const DEFAULT_MAX_TRANSFERS = 512;
export const DEFAULT_MAX_TRANSFERS_PER_CLIENT = 32;

/** The address without an IPv4-mapped prefix (`::ffff:1.2.3.4` → `1.2.3.4`). */
export function plainAddress(ep: NetworkEndpoint): string {
  const a = ep.address;
  if (typeof a !== 'string') return String(a);
  return a.startsWith('::ffff:') && a.indexOf('.') > 0 ? a.slice(7) : a;
}

/**
 * False for sources a server must not answer: port 0 (RFC 768: no reply port), unspecified,
 * broadcast and multicast addresses (a request "from" them is spoofed or broken, and an answer
 * would be reflected to many hosts).
 */
export function isAnswerableSource(ep: NetworkEndpoint): boolean {
  if (ep.port === 0) return false;
  const a = plainAddress(ep);
  if (a.indexOf(':') < 0) {
    // IPv4: 0.0.0.0/8 (this network), 224.0.0.0/4 (multicast), 240.0.0.0/4 with 255.255.255.255.
    // (A subnet's directed broadcast cannot be told from a host address without the netmask.)
    const first = Number.parseInt(a, 10);
    return first > 0 && first < 224;
  }
  if (a === '::') return false;
  return !a.toLowerCase().startsWith('ff'); // ff00::/8 multicast
}

/** Counts running transfers, in total and per client address. */
export class TransferLimits {
  readonly #max: number;
  readonly #perClient: number;
  readonly #byClient = new Map<string, number>();
  #total = 0;

  constructor(max = DEFAULT_MAX_TRANSFERS, perClient = DEFAULT_MAX_TRANSFERS_PER_CLIENT) {
    this.#max = max;
    this.#perClient = perClient;
  }

  get total(): number {
    return this.#total;
  }

  /** Takes a slot for `client` (an address), or returns false when a limit is reached. */
  acquire(client: string): boolean {
    if (this.#total >= this.#max) return false;
    const n = this.#byClient.get(client) ?? 0;
    if (n >= this.#perClient) return false;
    this.#byClient.set(client, n + 1);
    this.#total++;
    return true;
  }

  release(client: string): void {
    const n = this.#byClient.get(client);
    if (n === undefined) return;
    if (n <= 1) this.#byClient.delete(client);
    else this.#byClient.set(client, n - 1);
    this.#total--;
  }
}
