// What the relay does to each datagram, decided by a seeded PRNG so a failing run can be
// replayed exactly. Pure: no sockets, no clock.

export interface FaultOptions {
  /** Seed of the PRNG (any 32-bit integer). */
  seed?: number;
  /** Probability that a datagram is dropped. */
  loss?: number;
  /** Probability that a datagram is delivered twice. */
  duplicate?: number;
  /** Probability that a datagram is held back so that later ones overtake it. */
  reorder?: number;
  /** Fixed one-way delay in milliseconds. */
  delayMs?: number;
  /** Uniform extra delay, 0..jitterMs. */
  jitterMs?: number;
  /** How long a reordered datagram is held back, in milliseconds (default 5). */
  reorderDelayMs?: number;
}

export interface FaultCounts {
  received: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultPlan {
  /** Delays (ms from now) at which to deliver one datagram: [] drops it, two entries duplicate it. */
  decide(): number[];
  readonly counts: FaultCounts;
}

export function createFaultPlan(options: FaultOptions = {}): FaultPlan {
  const { seed = 1, loss = 0, duplicate = 0, reorder = 0, delayMs = 0, jitterMs = 0, reorderDelayMs = 5 } = options;
  for (const [name, p] of Object.entries({ loss, duplicate, reorder })) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`fault-relay: ${name} must be a probability in [0, 1], given ${p}`);
  }
  const random = seededRandom(seed);
  const counts: FaultCounts = { received: 0, delivered: 0, dropped: 0, duplicated: 0, reordered: 0 };
  const delay = () => delayMs + (jitterMs > 0 ? random() * jitterMs : 0);
  return {
    counts,
    decide() {
      counts.received++;
      if (random() < loss) {
        counts.dropped++;
        return [];
      }
      let first = delay();
      if (random() < reorder) {
        counts.reordered++;
        first += reorderDelayMs;
      }
      if (random() < duplicate) {
        counts.duplicated++;
        counts.delivered += 2;
        return [first, delay()];
      }
      counts.delivered++;
      return [first];
    },
  };
}
