import { describe, expect, it } from 'vitest';
import {
  createClientTransfer,
  createServerTransfer,
  decode,
  Receiver,
  Sender,
  withoutOptions,
} from '../../src/protocol/index.js';

describe('session constructors', () => {
  it('server: RRQ → Sender answering with OACK, WRQ → Receiver', () => {
    const r = createServerTransfer(
      { op: 'RRQ', filename: 'f', mode: 'octet', options: [['tsize', '0']] },
      { policy: { fileSize: 99 } },
    );
    if (!r.ok) throw new Error('refused');
    expect(r.machine).toBeInstanceOf(Sender);
    expect(r.negotiation.oack).toEqual([['tsize', '99']]);
    const first = r.machine.handle({ type: 'start' }, 0).find((a) => a.type === 'send');
    expect(decode((first as { bytes: Uint8Array }).bytes)).toMatchObject({ ok: true, packet: { op: 'OACK' } });
    const w = createServerTransfer({ op: 'WRQ', filename: 'f', mode: 'octet', options: [] });
    expect(w.ok && w.machine).toBeInstanceOf(Receiver);
  });

  it('server: a refused request gives the ERROR datagram to send', () => {
    const r = createServerTransfer(
      { op: 'WRQ', filename: 'f', mode: 'octet', options: [['tsize', '10']] },
      { policy: { maxFileSize: 9 } },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(decode(r.bytes)).toMatchObject({ ok: true, packet: { op: 'ERROR', code: 3 } });
  });

  it('server: the policy maxFileSize also bounds a WRQ without tsize during the transfer', () => {
    const r = createServerTransfer(
      { op: 'WRQ', filename: 'f', mode: 'octet', options: [] },
      { policy: { maxFileSize: 3 } },
    );
    if (!r.ok) throw new Error('refused');
    r.machine.handle({ type: 'start' }, 0);
    const a = r.machine.handle({ type: 'packet', packet: { op: 'DATA', block: 1, data: new Uint8Array(4) } }, 1);
    expect(a.find((x) => x.type === 'fail')).toMatchObject({ error: { code: 'too-large' } });
  });

  it('client requests stay within 512 bytes', () => {
    const long = { op: 'RRQ' as const, filename: 'x'.repeat(504), mode: 'octet' as const, options: [] };
    expect(() => createClientTransfer(long)).toThrow(RangeError);
    expect(() => createClientTransfer({ ...long, op: 'WRQ' })).toThrow(RangeError);
    expect(() => createClientTransfer({ ...long, filename: 'x'.repeat(503) })).not.toThrow();
  });

  it('client: RRQ → Receiver, WRQ → Sender; withoutOptions strips options only', () => {
    const rrq = {
      op: 'RRQ' as const,
      filename: 'f',
      mode: 'netascii' as const,
      options: [['blksize', '1024']] as const,
    };
    expect(createClientTransfer(rrq)).toBeInstanceOf(Receiver);
    expect(createClientTransfer({ ...rrq, op: 'WRQ' })).toBeInstanceOf(Sender);
    expect(withoutOptions(rrq)).toEqual({ op: 'RRQ', filename: 'f', mode: 'netascii', options: [] });
  });
});
