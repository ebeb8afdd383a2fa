import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DecodeResult,
  decode,
  encode,
  encodeAck,
  encodeError,
  encodingLength,
  getOption,
  MAX_REQUEST_SIZE,
  type ParseErrorCode,
  TftpErrorCode,
  type TftpOptions,
  type TftpPacket,
  tftpErrorMessage,
  tftpErrorName,
  writeDataHeader,
} from '../../src/protocol/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const ok = (r: DecodeResult) => {
  if (!r.ok) throw new Error(`decode failed: ${r.error.code} ${r.error.message}`);
  return r.packet;
};
const err = (r: DecodeResult) => {
  if (r.ok) throw new Error(`decode succeeded: ${JSON.stringify(r.packet)}`);
  return r.error;
};

describe('golden bytes', () => {
  const cases: [string, TftpPacket, Uint8Array][] = [
    [
      'RRQ',
      { op: 'RRQ', filename: 'boot.img', mode: 'octet', options: [] },
      bytes([0, 1], 'boot.img', [0], 'octet', [0]),
    ],
    [
      'WRQ with options',
      {
        op: 'WRQ',
        filename: 'a/b',
        mode: 'netascii',
        options: [
          ['blksize', '1468'],
          ['tsize', '0'],
        ],
      },
      bytes([0, 2], 'a/b', [0], 'netascii', [0], 'blksize', [0], '1468', [0], 'tsize', [0], '0', [0]),
    ],
    ['DATA', { op: 'DATA', block: 0x1234, data: Uint8Array.of(1, 2, 3) }, bytes([0, 3, 0x12, 0x34, 1, 2, 3])],
    ['empty DATA', { op: 'DATA', block: 65535, data: new Uint8Array(0) }, bytes([0, 3, 0xff, 0xff])],
    ['ACK', { op: 'ACK', block: 258 }, bytes([0, 4, 1, 2])],
    ['ERROR', { op: 'ERROR', code: 1, message: 'File not found.' }, bytes([0, 5, 0, 1], 'File not found.', [0])],
    ['ERROR empty', { op: 'ERROR', code: 8, message: '' }, bytes([0, 5, 0, 8, 0])],
    ['OACK', { op: 'OACK', options: [['windowsize', '16']] }, bytes([0, 6], 'windowsize', [0], '16', [0])],
  ];
  for (const [name, packet, wire] of cases) {
    it(`${name}: encode, encodingLength and decode agree with the wire`, () => {
      expect(hex(encode(packet))).toBe(hex(wire));
      expect(encodingLength(packet)).toBe(wire.length);
      expect(ok(decode(wire))).toEqual(packet);
    });
  }

  it('encodeAck and encodeError', () => {
    expect(hex(encodeAck(0xbeef))).toBe('0004beef');
    expect(hex(encodeError(4))).toBe(hex(bytes([0, 5, 0, 4], 'Illegal TFTP operation.', [0])));
    expect(hex(encodeError(0, 'x\ny\u00e9'))).toBe(hex(bytes([0, 5, 0, 0], 'x?y?', [0])));
  });
});

describe('hot path: no copies', () => {
  it('decoded DATA is a view into the datagram', () => {
    const wire = bytes([0, 0, 0, 3, 0, 7, 9, 8, 7]);
    const p = ok(decode(wire, 2));
    expect(p).toMatchObject({ op: 'DATA', block: 7 });
    const data = (p as { data: Uint8Array }).data;
    expect(data.buffer).toBe(wire.buffer);
    expect(data.byteOffset).toBe(6);
    wire[6] = 42;
    expect(data[0]).toBe(42);
  });

  it('DATA encodes into a caller buffer at an offset; a payload already in place is not copied', () => {
    const buf = new Uint8Array(64).fill(0xaa);
    const payload = buf.subarray(14, 20);
    payload.set([1, 2, 3, 4, 5, 6]);
    const out = encode({ op: 'DATA', block: 3, data: payload }, buf, 10);
    expect(out.buffer).toBe(buf.buffer);
    expect(out.byteOffset).toBe(10);
    expect(hex(out)).toBe('00030003010203040506');
    expect(buf[9]).toBe(0xaa);
    expect(buf[20]).toBe(0xaa);
    writeDataHeader(buf, 10, 0xfffe);
    expect(hex(buf.subarray(10, 14))).toBe('0003fffe');
  });

  it('encode into a too-small buffer throws RangeError; bad blocks throw', () => {
    expect(() => encode({ op: 'ACK', block: 1 }, new Uint8Array(3))).toThrow(RangeError);
    expect(() => encode({ op: 'ACK', block: 65536 })).toThrow(RangeError);
    expect(() => encode({ op: 'RRQ', filename: 'a\0b', mode: 'octet', options: [] })).toThrow(TypeError);
  });
});

describe('strict request parsing', () => {
  const req = (...parts: (string | number[])[]) => decode(bytes([0, 1], ...parts));
  const table: [string, Uint8Array, ParseErrorCode][] = [
    ['empty datagram', new Uint8Array(0), 'truncated'],
    ['one byte', Uint8Array.of(0), 'truncated'],
    ['opcode 0', bytes([0, 0, 1, 2]), 'bad-opcode'],
    ['opcode 7', bytes([0, 7, 1, 2]), 'bad-opcode'],
    ['opcode 0x0101', bytes([1, 1, 1, 2]), 'bad-opcode'],
    ['short ACK', bytes([0, 4, 1]), 'truncated'],
    ['short DATA', bytes([0, 3, 1]), 'truncated'],
    ['short ERROR', bytes([0, 5, 0]), 'truncated'],
    ['no filename NUL', bytes([0, 1], 'file'), 'missing-nul'],
    ['no mode NUL', bytes([0, 1], 'file', [0], 'octet'), 'missing-nul'],
    ['no mode', bytes([0, 1], 'file', [0]), 'missing-nul'],
    ['empty filename', bytes([0, 1, 0], 'octet', [0]), 'empty-filename'],
    ['control char in filename', bytes([0, 1], 'fi\nle', [0], 'octet', [0]), 'control-char'],
    ['DEL in filename', bytes([0, 1], 'fi\x7fle', [0], 'octet', [0]), 'control-char'],
    ['non-ASCII filename', bytes([0, 1], 'fi\xe9le', [0], 'octet', [0]), 'non-ascii'],
    ['huge filename', bytes([0, 1], 'a'.repeat(600), [0], 'octet', [0]), 'too-long'],
    [
      'oversized request',
      bytes([0, 1], 'a', [0], 'octet', [0], 'x'.repeat(MAX_REQUEST_SIZE), [0], '1', [0]),
      'too-long',
    ],
    ['bad mode', bytes([0, 1], 'f', [0], 'binary', [0]), 'bad-mode'],
    ['long mode', bytes([0, 1], 'f', [0], 'x'.repeat(100), [0]), 'bad-mode'],
    ['mail mode', bytes([0, 1], 'f', [0], 'MAIL', [0]), 'unsupported-mode'],
    ['option without value', bytes([0, 1], 'f', [0], 'octet', [0], 'blksize', [0]), 'bad-option'],
    ['option value without NUL', bytes([0, 1], 'f', [0], 'octet', [0], 'blksize', [0], '512'), 'missing-nul'],
    ['non-numeric blksize', bytes([0, 1], 'f', [0], 'octet', [0], 'blksize', [0], '51x', [0]), 'bad-option'],
    ['empty tsize', bytes([0, 1], 'f', [0], 'octet', [0], 'tsize', [0, 0]), 'bad-option'],
    ['negative timeout', bytes([0, 1], 'f', [0], 'octet', [0], 'timeout', [0], '-1', [0]), 'bad-option'],
    ['20-digit tsize', bytes([0, 1], 'f', [0], 'octet', [0], 'tsize', [0], '9'.repeat(20), [0]), 'bad-option'],
    [
      'duplicate option (case-insensitive)',
      bytes([0, 1], 'f', [0], 'octet', [0], 'blksize', [0], '512', [0], 'BlkSize', [0], '1024', [0]),
      'duplicate-option',
    ],
    ['control char in option', bytes([0, 1], 'f', [0], 'octet', [0], 'x\ty', [0], '1', [0]), 'control-char'],
    ['long option name', bytes([0, 1], 'f', [0], 'octet', [0], 'n'.repeat(65), [0], '1', [0]), 'too-long'],
    ['NUL padding then junk', bytes([0, 1], 'f', [0], 'octet', [0, 0, 0, 1]), 'bad-option'],
    ['OACK with odd fields', bytes([0, 6], 'blksize', [0]), 'bad-option'],
    ['OACK non-numeric', bytes([0, 6], 'windowsize', [0], 'many', [0]), 'bad-option'],
    ['DATA over 65464 bytes', bytes([0, 3, 0, 1], Array(65465).fill(0)), 'too-long'],
  ];
  for (const [name, wire, code] of table) {
    it(`${name} → ${code}`, () => {
      const e = err(decode(wire));
      expect(e.code).toBe(code);
      expect(e.message.length).toBeGreaterThan(0);
    });
  }

  it('option faults suggest ERROR 8, other request faults ERROR 4', () => {
    expect(err(req('f', [0], 'octet', [0], 'blksize', [0], 'x', [0])).tftpCode).toBe(8);
    expect(err(req('f', [0], 'mail', [0])).tftpCode).toBe(4);
    expect(err(req('f', [0], 'bogus', [0])).tftpCode).toBe(4);
  });

  it('modes and option names are case-insensitive; values and unknown options are kept', () => {
    const p = ok(req('Boot.IMG', [0], 'OcTeT', [0], 'BLKSIZE', [0], '1468', [0], 'X-Vendor', [0], 'Hello', [0]));
    expect(p).toEqual({
      op: 'RRQ',
      filename: 'Boot.IMG',
      mode: 'octet',
      options: [
        ['blksize', '1468'],
        ['x-vendor', 'Hello'],
      ],
    });
    expect(ok(req('f', [0], 'NetASCII', [0]))).toMatchObject({ mode: 'netascii' });
    expect(getOption((p as { options: TftpOptions }).options, 'BlkSize')).toBe('1468');
    expect(getOption([], 'blksize')).toBeUndefined();
  });

  it('trailing NUL padding after a request is tolerated', () => {
    expect(ok(req('f', [0], 'octet', [0], 'tsize', [0], '0', [0, 0, 0, 0]))).toMatchObject({
      options: [['tsize', '0']],
    });
    expect(ok(req('f', [0], 'octet', [0, 0, 0]))).toMatchObject({ options: [] });
  });

  it('limits can be tightened per call', () => {
    expect(err(decode(bytes([0, 1], 'abcdef', [0], 'octet', [0]), 0, { maxFilenameLength: 5 })).code).toBe('too-long');
    expect(err(decode(bytes([0, 1], 'abcdef', [0], 'octet', [0]), 0, { maxRequestSize: 10 })).code).toBe('too-long');
    expect(ok(decode(bytes([0, 1], 'abcde', [0], 'octet', [0]), 0, { maxFilenameLength: 5 }))).toMatchObject({
      filename: 'abcde',
    });
  });

  it('ERROR packets are decoded leniently (never answered anyway)', () => {
    expect(ok(decode(bytes([0, 5, 0, 2], 'no NUL')))).toEqual({ op: 'ERROR', code: 2, message: 'no NUL' });
    expect(ok(decode(bytes([0, 5, 0, 99], 'x', [0], 'trailing')))).toEqual({ op: 'ERROR', code: 99, message: 'x' });
    expect(ok(decode(bytes([0, 5, 0, 0], '\x1b[31m')))).toEqual({ op: 'ERROR', code: 0, message: '\x1b[31m' });
    expect(ok(decode(bytes([0, 4, 0, 9, 0, 0])))).toEqual({ op: 'ACK', block: 9 });
  });

  it('error codes, names and standard texts', () => {
    expect(TftpErrorCode.OptionRefused).toBe(8);
    expect(tftpErrorMessage(TftpErrorCode.FileNotFound)).toBe('File not found.');
    expect(tftpErrorName(1)).toBe('file not found');
    expect(tftpErrorName(42)).toBe('unknown error');
    expect(tftpErrorMessage(42)).toBe(tftpErrorMessage(0));
  });
});

// ---------------------------------------------------------------------------------------------
// properties

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
const nonEmpty = (max: number) => printable.filter((s) => s.length > 0 && s.length <= max);
const lowerName = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-_0123456789'.split('')), minLength: 1, maxLength: 20 })
  .filter((n) => !['blksize', 'timeout', 'tsize', 'windowsize', 'utimeout', 'rollover'].includes(n));
const options = fc
  .uniqueArray(
    fc.oneof(
      fc.tuple(lowerName, nonEmpty(30)),
      fc.tuple(
        fc.constantFrom('blksize', 'timeout', 'tsize', 'windowsize', 'utimeout', 'rollover'),
        fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String),
      ),
    ),
    { selector: (o) => o[0], maxLength: 6 },
  )
  .map((os) => os.map(([n, v]) => [n, v] as const));
const packet: fc.Arbitrary<TftpPacket> = fc.oneof(
  fc.record({
    op: fc.constantFrom('RRQ' as const, 'WRQ' as const),
    filename: nonEmpty(200),
    mode: fc.constantFrom('octet' as const, 'netascii' as const),
    options,
  }),
  fc.record({
    op: fc.constant('DATA' as const),
    block: fc.integer({ min: 0, max: 65535 }),
    data: fc.uint8Array({ maxLength: 600 }),
  }),
  fc.record({ op: fc.constant('ACK' as const), block: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ op: fc.constant('ERROR' as const), code: fc.integer({ min: 0, max: 65535 }), message: printable }),
  fc.record({ op: fc.constant('OACK' as const), options }),
);

const KNOWN_CODES = new Set<string>([
  'truncated',
  'bad-opcode',
  'missing-nul',
  'empty-filename',
  'bad-mode',
  'unsupported-mode',
  'bad-option',
  'duplicate-option',
  'too-long',
  'non-ascii',
  'control-char',
]);

describe('properties', () => {
  it('decode(encode(p)) = p, and encodingLength is exact', () => {
    fc.assert(
      fc.property(packet, fc.integer({ min: 0, max: 8 }), (p, offset) => {
        const len = encodingLength(p);
        const buf = new Uint8Array(offset + len + 3);
        const wire = encode(p, buf, offset);
        expect(wire.length).toBe(len);
        const back = ok(decode(buf.subarray(0, offset + len), offset));
        expect(back).toEqual(p);
      }),
      { numRuns: 500 },
    );
  });

  it('random datagrams never throw and give ok or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (d) => {
        const r = decode(d);
        if (!r.ok) {
          expect(KNOWN_CODES.has(r.error.code)).toBe(true);
          expect([4, 8]).toContain(r.error.tftpCode);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid packets never throw; what decodes re-encodes and decodes to the same packet', () => {
    fc.assert(
      fc.property(
        packet,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (p, flips, cut) => {
          const wire = Uint8Array.from(encode(p));
          for (const [i, v] of flips) if (wire.length > 0) wire[i % wire.length] = v;
          const truncated = wire.subarray(0, wire.length - (cut % 3));
          const r = decode(truncated);
          if (!r.ok) {
            expect(KNOWN_CODES.has(r.error.code)).toBe(true);
            return;
          }
          const again = Uint8Array.from(encode(r.packet));
          // DATA and ACK have one wire form (an ACK's trailing bytes are ignored). The others
          // decode again to the same packet, except that encode never sends control characters
          // in an ERROR text (they become '?').
          if (r.packet.op === 'DATA') expect(again).toEqual(Uint8Array.from(truncated));
          if (r.packet.op === 'ACK') expect(again).toEqual(Uint8Array.from(truncated.subarray(0, 4)));
          const back = decode(again);
          expect(back.ok).toBe(true);
          if (r.packet.op !== 'ERROR') expect(back.ok && back.packet).toEqual(r.packet);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('hostile requests: bombs of fields, NULs and long digits never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(printable, fc.constant(''), fc.constant('blksize'), fc.constant('9'.repeat(30))), {
          maxLength: 80,
        }),
        fc.constantFrom(1, 2, 6),
        (fields, op) => {
          const wire = bytes([0, op], ...fields.flatMap((f) => [f, [0]]));
          const r = decode(wire);
          if (!r.ok) expect(KNOWN_CODES.has(r.error.code)).toBe(true);
          else if (r.packet.op !== 'ERROR' && 'options' in r.packet) {
            const names = r.packet.options.map((o) => o[0]);
            expect(new Set(names).size).toBe(names.length);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
