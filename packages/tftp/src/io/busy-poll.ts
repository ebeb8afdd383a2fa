// Busy polling, in user space — what Linux's SO_BUSY_POLL does in the kernel: while a reply is
// expected within a few microseconds, the event loop keeps polling its sockets instead of
// sleeping in epoll_wait. Waking a sleeping process costs tens of microseconds (more on a
// virtual machine), which is most of a loopback or LAN round trip: a lockstep transfer (RFC 1350,
// one DATA per ACK) spends its time waiting for exactly that wake-up.
//
// How: a pending setImmediate makes libuv poll with a zero timeout (uv_backend_timeout is 0 while
// immediates are pending), so a chain of them turns the loop's wait into polling. One chain per
// process, whoever asked: it ends by itself at the latest deadline anyone set, and it never holds
// the process longer than that.

let deadline = 0;
let polling = false;

/** Keep the event loop polling (not sleeping) until `at` (a `performance.now()` time). */
export function busyPollUntil(at: number): void {
  if (at > deadline) deadline = at;
  if (!polling) {
    polling = true;
    setImmediate(poll);
  }
}

function poll(): void {
  if (performance.now() < deadline) setImmediate(poll);
  else polling = false;
}

/** True while the loop is polling (for tests). */
export function isBusyPolling(): boolean {
  return polling;
}

/** While a transfer does not poll, every this many sends poll anyway, to see if answers are quick again. */
const RETRY_EVERY = 16;

/**
 * One transfer's policy: poll for `budgetUs` after each datagram sent or received from the peer,
 * as long as the peer's answers come within that budget; a slower answer (a long path, a busy
 * peer) stops the polling until an answer is quick again, so a slow link costs little CPU. An
 * answer that was not polled for carries the wake-up polling removes, so every RETRY_EVERY-th
 * send polls again and its answer is judged fairly.
 */
export class BusyPoller {
  readonly #budget: number;
  /** When our last datagram left, while its answer is awaited (0: none awaited). */
  #sentAt = 0;
  #quick = true;
  /** The first answer (to a request: the server opens a file first) says nothing about the path. */
  #first = true;
  /** Sends without polling since polling stopped. */
  #skipped = 0;

  /** `budgetUs`: microseconds (> 0). */
  constructor(budgetUs: number) {
    this.#budget = budgetUs / 1000;
  }

  /** We sent a datagram that the peer answers. */
  sent(t: number): void {
    this.#sentAt = t;
    if (this.#quick || ++this.#skipped % RETRY_EVERY === 0) busyPollUntil(t + this.#budget);
  }

  /** A datagram from the peer arrived. */
  received(t: number): void {
    if (this.#sentAt !== 0) {
      if (this.#first) this.#first = false;
      else this.#quick = t - this.#sentAt <= this.#budget;
      this.#sentAt = 0;
    }
    if (this.#quick) busyPollUntil(t + this.#budget);
  }
}

/** Checks a `busyPoll` option (microseconds, 0 = off): an integer 0–1,000,000. */
export function checkBusyPoll(who: string, us: number | undefined): number {
  if (us === undefined) return 0;
  if (!(Number.isSafeInteger(us) && us >= 0 && us <= 1_000_000)) {
    throw new RangeError(`${who}: busyPoll must be an integer 0–1000000 (microseconds), got ${String(us)}`);
  }
  return us;
}
