import { describe, expect, it } from 'vitest';
import { createFaultPlan, seededRandom } from '../src/faults.js';

describe('seededRandom', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('createFaultPlan', () => {
  it('delivers everything once, without delay, when no fault is asked for', () => {
    const plan = createFaultPlan();
    for (let i = 0; i < 100; i++) expect(plan.decide()).toEqual([0]);
    expect(plan.counts).toEqual({ received: 100, delivered: 100, dropped: 0, duplicated: 0, reordered: 0 });
  });

  it('drops, duplicates and reorders at roughly the asked rates, and counts what it did', () => {
    const plan = createFaultPlan({ seed: 7, loss: 0.1, duplicate: 0.05, reorder: 0.05, reorderDelayMs: 3 });
    let deliveries = 0;
    for (let i = 0; i < 20_000; i++) deliveries += plan.decide().length;
    const { received, dropped, duplicated, reordered, delivered } = plan.counts;
    expect(received).toBe(20_000);
    expect(delivered).toBe(deliveries);
    expect(dropped / received).toBeGreaterThan(0.08);
    expect(dropped / received).toBeLessThan(0.12);
    expect(duplicated / (received - dropped)).toBeGreaterThan(0.04);
    expect(duplicated / (received - dropped)).toBeLessThan(0.06);
    expect(reordered / (received - dropped)).toBeGreaterThan(0.04);
    expect(reordered / (received - dropped)).toBeLessThan(0.06);
  });

  it('adds the fixed delay and jitter within bounds', () => {
    const plan = createFaultPlan({ seed: 3, delayMs: 2, jitterMs: 4 });
    for (let i = 0; i < 1000; i++) {
      const [d] = plan.decide();
      expect(d).toBeGreaterThanOrEqual(2);
      expect(d).toBeLessThan(6);
    }
  });

  it('refuses a probability outside [0, 1]', () => {
    expect(() => createFaultPlan({ loss: 1.5 })).toThrow(/loss must be a probability/);
    expect(() => createFaultPlan({ duplicate: Number.NaN })).toThrow(/duplicate must be a probability/);
  });
});
