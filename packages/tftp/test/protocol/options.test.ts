import { describe, expect, it } from 'vitest';
import {
  acceptOack,
  buildRequestOptions,
  type defaultParams,
  negotiateServer,
  type RequestPacket,
  type ServerPolicy,
  type TftpOptions,
} from '../../src/protocol/index.js';

const req = (options: TftpOptions, op: 'RRQ' | 'WRQ' = 'RRQ', mode: 'octet' | 'netascii' = 'octet'): RequestPacket => ({
  op,
  filename: 'f',
  mode,
  options,
});

describe('server negotiation', () => {
  const table: [string, RequestPacket, ServerPolicy, TftpOptions, Partial<ReturnType<typeof defaultParams>>][] = [
    ['no options: plain reply', req([]), {}, [], { blksize: 512, windowsize: 1 }],
    ['blksize echoed', req([['blksize', '1468']]), {}, [['blksize', '1468']], { blksize: 1468 }],
    ['blksize above 65464 lowered', req([['blksize', '99999']]), {}, [['blksize', '65464']], { blksize: 65464 }],
    [
      'blksize capped by policy',
      req([['blksize', '8192']]),
      { maxBlksize: 1428 },
      [['blksize', '1428']],
      { blksize: 1428 },
    ],
    [
      'blksize below cap untouched',
      req([['blksize', '1024']]),
      { maxBlksize: 1428 },
      [['blksize', '1024']],
      { blksize: 1024 },
    ],
    ['blksize 7 ignored', req([['blksize', '7']]), {}, [], { blksize: 512 }],
    ['blksize 8 accepted', req([['blksize', '8']]), {}, [['blksize', '8']], { blksize: 8 }],
    ['timeout echoed unchanged', req([['timeout', '3']]), {}, [['timeout', '3']], { timeoutMs: 3000 }],
    ['timeout 0 ignored', req([['timeout', '0']]), {}, [], { timeoutMs: undefined }],
    ['timeout 256 ignored', req([['timeout', '256']]), {}, [], { timeoutMs: undefined }],
    ['utimeout echoed', req([['utimeout', '250000']]), {}, [['utimeout', '250000']], { timeoutMs: 250 }],
    ['utimeout too small ignored', req([['utimeout', '9999']]), {}, [], { timeoutMs: undefined }],
    [
      'utimeout wins over timeout',
      req([
        ['timeout', '5'],
        ['utimeout', '100000'],
      ]),
      {},
      [
        ['timeout', '5'],
        ['utimeout', '100000'],
      ],
      { timeoutMs: 100 },
    ],
    [
      'RRQ tsize answered with the size',
      req([['tsize', '0']]),
      { fileSize: 12345 },
      [['tsize', '12345']],
      { tsize: 12345 },
    ],
    ['RRQ tsize omitted when size unknown', req([['tsize', '0']]), {}, [], { tsize: undefined }],
    [
      'RRQ tsize omitted for netascii',
      req([['tsize', '0']], 'RRQ', 'netascii'),
      { fileSize: 10 },
      [],
      { tsize: undefined },
    ],
    ['WRQ tsize echoed', req([['tsize', '5000']], 'WRQ'), { maxFileSize: 5000 }, [['tsize', '5000']], { tsize: 5000 }],
    ['windowsize echoed', req([['windowsize', '16']]), {}, [['windowsize', '16']], { windowsize: 16 }],
    [
      'windowsize lowered by policy',
      req([['windowsize', '64']]),
      { maxWindowsize: 8 },
      [['windowsize', '8']],
      { windowsize: 8 },
    ],
    ['windowsize 0 ignored', req([['windowsize', '0']]), {}, [], { windowsize: 1 }],
    ['windowsize 65536 ignored', req([['windowsize', '65536']]), {}, [], { windowsize: 1 }],
    [
      'windowsize bounded by in-flight bytes',
      req([
        ['blksize', '65464'],
        ['windowsize', '64'],
      ]),
      { maxWindowBytes: 200_000 },
      [
        ['blksize', '65464'],
        ['windowsize', '3'],
      ],
      { blksize: 65464, windowsize: 3 },
    ],
    [
      'in-flight bound never below 1',
      req([
        ['windowsize', '64'],
        ['blksize', '65464'],
      ]),
      { maxWindowBytes: 10 },
      [
        ['windowsize', '1'],
        ['blksize', '65464'],
      ],
      { windowsize: 1 },
    ],
    ['rollover 1 granted', req([['rollover', '1']]), {}, [['rollover', '1']], { rolloverBase: 1 }],
    ['rollover 0 granted', req([['rollover', '0']]), { rolloverBase: 1 }, [['rollover', '0']], { rolloverBase: 0 }],
    ['rollover 2 ignored', req([['rollover', '2']]), {}, [], { rolloverBase: 0 }],
    ['rollover unsupported', req([['rollover', '1']]), { rollover: false }, [], { rolloverBase: 0 }],
    [
      'unknown options ignored',
      req([
        ['x-foo', 'bar'],
        ['blksize', '1000'],
      ]),
      {},
      [['blksize', '1000']],
      { blksize: 1000 },
    ],
    [
      'refused option omitted',
      req([
        ['blksize', '1468'],
        ['tsize', '0'],
      ]),
      { refuse: ['BLKSIZE'], fileSize: 3 },
      [['tsize', '3']],
      { blksize: 512, tsize: 3 },
    ],
    [
      'refuse-all: plain',
      req([
        ['blksize', '1468'],
        ['windowsize', '4'],
      ]),
      { refuseAll: true },
      [],
      { blksize: 512, windowsize: 1 },
    ],
    [
      'order of the request kept',
      req([
        ['windowsize', '4'],
        ['tsize', '0'],
        ['blksize', '1024'],
      ]),
      { fileSize: 1 },
      [
        ['windowsize', '4'],
        ['tsize', '1'],
        ['blksize', '1024'],
      ],
      {},
    ],
  ];
  for (const [name, request, policy, oack, params] of table) {
    it(name, () => {
      const r = negotiateServer(request, policy);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.oack).toEqual(oack);
      expect(r.params).toMatchObject(params);
    });
  }

  it('WRQ tsize above the maximum → ERROR 3, even with options refused', () => {
    for (const policy of [{ maxFileSize: 4999 }, { maxFileSize: 4999, refuseAll: true }]) {
      const r = negotiateServer(req([['tsize', '5000']], 'WRQ'), policy);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(3);
    }
  });
});

describe('client OACK checks', () => {
  const asked = req([
    ['blksize', '1468'],
    ['windowsize', '16'],
    ['timeout', '3'],
    ['tsize', '0'],
    ['rollover', '0'],
    ['x-vendor', 'y'],
  ]);
  const good: [string, TftpOptions, Partial<ReturnType<typeof defaultParams>>][] = [
    ['all echoed', asked.options, { blksize: 1468, windowsize: 16, timeoutMs: 3000, tsize: 0, rolloverBase: 0 }],
    ['blksize lowered', [['blksize', '512']], { blksize: 512, windowsize: 1 }],
    ['windowsize lowered', [['windowsize', '4']], { windowsize: 4, blksize: 512 }],
    ['tsize answered', [['tsize', '123456789']], { tsize: 123456789 }],
    ['names case-insensitive', [['BLKSIZE', '1000']], { blksize: 1000 }],
    ['empty OACK → defaults', [], { blksize: 512, windowsize: 1, timeoutMs: undefined }],
  ];
  for (const [name, oack, params] of good) {
    it(`accepts: ${name}`, () => {
      const r = acceptOack(asked, oack);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.params).toMatchObject(params);
    });
  }
  const bad: [string, TftpOptions][] = [
    ['blksize raised', [['blksize', '1469']]],
    ['blksize below 8', [['blksize', '7']]],
    ['windowsize raised', [['windowsize', '17']]],
    ['windowsize 0', [['windowsize', '0']]],
    ['timeout changed', [['timeout', '4']]],
    ['rollover changed', [['rollover', '1']]],
    ['option not asked', [['utimeout', '100000']]],
    ['unknown option added', [['x-other', '1']]],
    [
      'duplicate',
      [
        ['blksize', '512'],
        ['blksize', '512'],
      ],
    ],
    ['non-numeric', [['blksize', 'big']]],
  ];
  for (const [name, oack] of bad) {
    it(`refuses with ERROR 8: ${name}`, () => {
      const r = acceptOack(asked, oack);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(8);
    });
  }

  it('a WRQ tsize must be echoed unchanged', () => {
    const w = req([['tsize', '100']], 'WRQ');
    expect(acceptOack(w, [['tsize', '100']]).ok).toBe(true);
    expect(acceptOack(w, [['tsize', '99']]).ok).toBe(false);
  });

  it('rollover default applies when not negotiated', () => {
    const r = acceptOack(req([['blksize', '600']]), [['blksize', '600']], 1);
    expect(r.ok && r.params.rolloverBase).toBe(1);
  });
});

describe('request options', () => {
  it('builds in a fixed order, tsize 0 for RRQ, the size for WRQ, none in netascii', () => {
    expect(buildRequestOptions('RRQ', 'octet', { blksize: 1468, windowsize: 16, tsize: true, timeout: 2 })).toEqual([
      ['blksize', '1468'],
      ['windowsize', '16'],
      ['timeout', '2'],
      ['tsize', '0'],
    ]);
    expect(buildRequestOptions('WRQ', 'octet', { tsize: 777, rollover: 0, utimeout: 20000 })).toEqual([
      ['utimeout', '20000'],
      ['tsize', '777'],
      ['rollover', '0'],
    ]);
    expect(buildRequestOptions('RRQ', 'netascii', { tsize: true })).toEqual([]);
    expect(buildRequestOptions('WRQ', 'octet', { tsize: true })).toEqual([]);
  });
  it('rejects out-of-range values', () => {
    expect(() => buildRequestOptions('RRQ', 'octet', { blksize: 7 })).toThrow(RangeError);
    expect(() => buildRequestOptions('RRQ', 'octet', { blksize: 65465 })).toThrow(RangeError);
    expect(() => buildRequestOptions('RRQ', 'octet', { windowsize: 0 })).toThrow(RangeError);
    expect(() => buildRequestOptions('RRQ', 'octet', { timeout: 256 })).toThrow(RangeError);
    expect(() => buildRequestOptions('RRQ', 'octet', { timeout: 1.5 })).toThrow(RangeError);
  });
  it('what a client builds, a server grants unchanged', () => {
    const options = buildRequestOptions('RRQ', 'octet', { blksize: 1468, windowsize: 16, timeout: 2, tsize: true });
    const n = negotiateServer(req(options), { fileSize: 42 });
    if (!n.ok) throw new Error('refused');
    const c = acceptOack(req(options), n.oack);
    if (!c.ok) throw new Error(c.error.message);
    expect(c.params).toEqual(n.params);
  });
});
