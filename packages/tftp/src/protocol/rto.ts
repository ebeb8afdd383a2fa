// Retransmission timeout: RFC 1123 §4.2.3.2 asks TFTP for an adaptive timeout with exponential
// backoff. Estimator as in RFC 6298 §2 (SRTT/RTTVAR, α = 1/8, β = 1/4, K = 4), samples only from
// packets sent once (Karn's rule — the caller enforces it), bounded by min/max. A negotiated
// `timeout`/`utimeout` (RFC 2349) fixes the value: no estimation, no backoff.
// Backoff (RFC 6298 §5.5) is a multiplier on the estimated RTO, kept apart from it: a valid sample
// recomputes the base and clears it (§5, after 5.7), and so does progress — an ACK of new data
// (`progress()`), as common practice does (the estimate stays Karn-clean: no sample is taken from
// a resent block). Without that, under steady loss the backed-off value outlives the losses that
// caused it and every later loss costs up to the maximum.

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
  }

  /** Exponential backoff after a timeout (RFC 6298 §5.5), up to the maximum. */
  backoff(): void {
    if (this.#fixed === undefined) this.#rto = this.#clamp(this.#rto * 2);
  }

  /** The peer acknowledged new data: back to the estimated RTO, without backoff. */
  progress(): void {
    this.#rto = this.#base;
  }
}
