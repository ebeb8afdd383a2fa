// The brand that marks evts (shared by every copy of this package, via Symbol.for).
export const EVT_BRAND = Symbol.for('@udpkit/udp-racket.evt');

export function isEvtValue(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[EVT_BRAND] === true;
}
