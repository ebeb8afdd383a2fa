// Retransmission timeout: RFC 1123 §4.2.3.2 asks TFTP for an adaptive timeout with exponential
// backoff. Estimator as in RFC 6298 §2 (SRTT/RTTVAR, α = 1/8, β = 1/4, K = 4), samples only from
// packets sent once (Karn's rule — the caller enforces it), bounded by min/max. A negotiated
// `timeout`/`utimeout` (RFC 2349) fixes the value: no estimation, no backoff.
// Backoff (RFC 6298 §5.5) is a multiplier on the estimated RTO, kept apart from it. When it ends:
// - A clean sample recomputes the base and ends it (RFC 6298 §5, the note after rule 5.7; Karn).
// - Progress (an ACK of new data, `progress()`) ends it only if that ACK is timed as an answer to
//   the retransmission: between SRTT/2 and the un-backed-off RTO after it. Then the timeout was a
//   loss and the estimate stands — under steady loss the backed-off value must not outlive the
//   losses that caused it, or every later loss costs up to the maximum.
// - Otherwise (no estimate yet, or an ACK too soon or too late for an answer to the resend) the RTO
//   may be too short for the path: the backed-off value is kept for the next packets until a clean
//   sample (Karn's algorithm as RFC 6298 §5 intends; RFC 1123 §4.2.3.2 wants the timeout to adapt),
//   capped at twice the shortest first-send-to-ACK time seen since the backoff began — an upper
//   bound on the round trip, so the cap never cuts below what a long path needs, while under heavy
//   windowed loss (clean samples rare) the kept value does not climb to the maximum. So a round
//   trip above the initial 1 s costs O(1) resends: the next block goes out under the backed-off
//   RTO and its clean sample sets SRTT (ending the backoff on any progress resent every block).
// - A backoff of the request / OACK exchange (no sample possible) carries into the transfer, as
//   RFC 6298 §5.7 keeps a conservative RTO after a SYN timed out.
// Known limits: a round trip that grows (with an estimate already in place) to between RTO + SRTT/2
// and twice the RTO makes every ACK look like an answer to the resend: taken for loss, each block is
// resent once while it lasts (as before this rule), unless jitter lets a block through clean. Under
// very heavy windowed loss (20% each way) the kept backoff still costs more than resetting did in
// the slowest tenth of transfers.

export interface RtoOptions {
  /** Before the first sample (ms, default 1000 as RFC 6298 §2.1). */
  initialRto?: number;
  /** Lower bound (ms, default 50: TFTP runs on LANs; RFC 6298's 1 s would make loss recovery slow). */
  minRto?: number;
  /** Upper bound, also for backoff (ms, default 10000). */
  maxRto?: number;
}

export class RtoEstimator {
  #srtt: number | undefined;
  #rttvar = 0;
  /** The RTO from SRTT/RTTVAR (or the initial one), without backoff. */
  #base: number;
  #rto: number;
  readonly #min: number;
  readonly #max: number;
  readonly #fixed: number | undefined;
  /** A backoff is in force and no clean sample was taken since it began (Karn). */
  #backedOff = false;
  /** Since the backoff began: the smallest time from a first send to the ACK of new data (ms). */
  #ackedWithin = Number.POSITIVE_INFINITY;

  constructor(options: RtoOptions = {}, fixedMs?: number) {
    this.#min = options.minRto ?? 50;
    this.#max = Math.max(this.#min, options.maxRto ?? 10_000);
    this.#fixed = fixedMs;
    this.#rto = fixedMs ?? this.#clamp(options.initialRto ?? 1000);
    this.#base = this.#rto;
  }

  #clamp(v: number): number {
    return Math.min(Math.max(v, this.#min), this.#max);
  }

  /** The current timeout (ms). */
  get rto(): number {
    return this.#rto;
  }

  /** Smoothed round trip (ms), once sampled. */
  get srtt(): number | undefined {
    return this.#srtt;
  }

  /** The timeout without backoff (ms). */
  get base(): number {
    return this.#base;
  }

  /** Upper bound (ms): what backoff reaches. */
  get max(): number {
    return this.#fixed ?? this.#max;
  }

  get fixed(): boolean {
    return this.#fixed !== undefined;
  }

  /** A round-trip sample (ms) from a packet that was not retransmitted (RFC 6298 §2.2–2.3). */
  sample(rtt: number): void {
    if (this.#fixed !== undefined || !(rtt >= 0)) return;
    if (this.#srtt === undefined) {
      this.#srtt = rtt;
      this.#rttvar = rtt / 2;
    } else {
      this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - rtt);
      this.#srtt = 0.875 * this.#srtt + 0.125 * rtt;
    }
    this.#rto = this.#base = this.#clamp(this.#srtt + Math.max(1, 4 * this.#rttvar));
    this.#backedOff = false;
  }

  /** Exponential backoff after a timeout (RFC 6298 §5.5), up to the maximum. */
  backoff(): void {
    if (this.#fixed === undefined) {
      this.#rto = this.#clamp(this.#rto * 2);
      if (!this.#backedOff) this.#ackedWithin = Number.POSITIVE_INFINITY;
      this.#backedOff = true;
    }
  }

  /**
   * The peer acknowledged new data; `sinceLastSend` / `sinceFirstSend`: ms since the acknowledged
   * packet was last / first sent. Without a backoff in force: nothing to do. With one and no clean
   * sample since it began (Karn):
   * - the backoff ends if the ACK came as an answer to the retransmission would — between SRTT/2
   *   and the un-backed-off RTO after it: the timeout was a loss and the estimate stands;
   * - else (no estimate yet, or an ACK too early or too late for that) the RTO may be too short for
   *   the path and the backed-off value is kept until a clean sample (RFC 6298 §5) — but not above
   *   twice the shortest first-send-to-ACK time seen since the backoff began (an upper bound on the
   *   round trip: the ACK answers one of the sends), nor below the un-backed-off RTO.
   */
  progress(sinceLastSend?: number, sinceFirstSend?: number): void {
    if (!this.#backedOff) return;
    const srtt = this.#srtt;
    if (srtt !== undefined && sinceLastSend !== undefined && sinceLastSend >= srtt / 2 && sinceLastSend <= this.#base) {
      this.#rto = this.#base;
      this.#backedOff = false;
      return;
    }
    if (sinceFirstSend !== undefined && sinceFirstSend >= 0) {
      this.#ackedWithin = Math.min(this.#ackedWithin, sinceFirstSend);
      this.#rto = Math.max(this.#base, Math.min(this.#rto, this.#clamp(2 * this.#ackedWithin)));
    }
  }
}
