// Block numbers: a wide internal counter (1, 2, … beyond 65535) mapped to the 16-bit wire value.
// After 65535 the wire number wraps to the rollover base, 0 (tftp-hpa, atftp, curl, U-Boot…) or 1.
// Block 0 before any wrap is the WRQ/OACK acknowledgement; after a wrap, wire 0 is an ordinary block.

import type { RolloverBase } from './options.js';

/** The 16-bit wire number of wide block `n`. */
export function wireBlock(n: number, base: RolloverBase): number {
  if (n <= 0xffff) return n;
  return ((n - base) % (0x10000 - base)) + base;
}

/**
 * The wide block whose wire number is `wire`, taken from the window `(hi - period, hi]` where `hi`
 * is the highest block the peer can legitimately name. A result below the caller's low-water mark is
 * an old duplicate. With base 1, wire 0 can only be block 0.
 */
export function wideBlock(wire: number, hi: number, base: RolloverBase): number {
  if (wire < base) return 0;
  const period = 0x10000 - base;
  let d = (hi - wire) % period;
  if (d < 0) d += period;
  return hi - d;
}
