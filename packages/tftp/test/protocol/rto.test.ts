// RtoEstimator: when a backoff ends (rto.ts). Karn's algorithm (RFC 6298 §5): kept until a clean
// sample — unless the ACK of new data is timed as an answer to the resend (a loss).
import { describe, expect, it } from 'vitest';
import { RtoEstimator } from '../../src/protocol/rto.js';

describe('RtoEstimator backoff', () => {
  it('no estimate yet: progress keeps the backoff, a clean sample ends it', () => {
    const r = new RtoEstimator();
    r.backoff();
    expect(r.rto).toBe(2000);
    r.progress(200, 1200); // the ACK of the first send, 1.2 s: a long path, not a loss
    expect(r.rto).toBe(2000);
    r.sample(1200);
    expect(r.srtt).toBe(1200);
    expect(r.rto).toBe(r.base);
    expect(r.base).toBe(1200 + 4 * 600);
  });

  it('an ACK timed as an answer to the resend (SRTT/2 … RTO after it) ends the backoff: a loss', () => {
    const r = new RtoEstimator({ initialRto: 50 });
    r.sample(10);
    const base = r.rto;
    for (let i = 0; i < 4; i++) r.backoff();
    expect(r.rto).toBe(16 * base);
    r.progress(10, 16 * base);
    expect(r.rto).toBe(base);
  });

  it('an ACK too soon or too late for that keeps it, capped at twice the shortest first-send-to-ACK time', () => {
    const r = new RtoEstimator({ initialRto: 50 });
    r.sample(10); // base 50 (the floor)
    for (let i = 0; i < 3; i++) r.backoff();
    expect(r.rto).toBe(400);
    r.progress(2, 350); // 2 ms after the resend: it answers an earlier send
    expect(r.rto).toBe(400);
    r.progress(300, 1000); // later than the RTO: the round trip may have grown
    expect(r.rto).toBe(400);
    r.progress(3, 120); // this block came back within 120 ms of its first send
    expect(r.rto).toBe(240);
    r.progress(3, 10);
    expect(r.rto).toBe(50); // never below the un-backed-off RTO
  });

  it('a fixed (negotiated) timeout never backs off', () => {
    const r = new RtoEstimator({}, 1000);
    r.backoff();
    r.progress(1, 1);
    expect(r.rto).toBe(1000);
  });
});
