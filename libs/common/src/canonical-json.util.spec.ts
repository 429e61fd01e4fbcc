import { canonicalJson, sha256Hex } from './canonical-json.util';

describe('canonical-json.util', () => {
  describe(canonicalJson.name, () => {
    it('encodes equal objects to the same bytes whatever the key order', () => {
      const a = { b: 1, a: { y: [1, 2], x: 'text' }, c: null };
      const b = { c: null, a: { x: 'text', y: [1, 2] }, b: 1 };
      expect(canonicalJson(a)).toBe(canonicalJson(b));
      expect(canonicalJson(a)).toBe('{"a":{"x":"text","y":[1,2]},"b":1,"c":null}');
    });

    it('sorts keys by code point, not by locale', () => {
      expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4, é: 5 })).toBe('{"B":2,"_":4,"a":3,"b":1,"é":5}');
    });

    it('keeps the order of arrays and sorts the objects nested in them', () => {
      expect(canonicalJson([3, [2, 1], { z: 1, a: [{ d: 1, c: 2 }] }])).toBe(
        '[3,[2,1],{"a":[{"c":2,"d":1}],"z":1}]',
      );
      expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    });

    it('drops undefined members of objects and encodes undefined items of arrays as null', () => {
      expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
      expect(canonicalJson({ a: undefined, b: 1 })).toBe(canonicalJson({ b: 1 }));
      expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    });

    it('encodes a Date as its ISO 8601 instant', () => {
      const instant = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
      expect(canonicalJson({ at: instant })).toBe('{"at":"2026-01-02T03:04:05.006Z"}');
      expect(canonicalJson(instant)).toBe(canonicalJson('2026-01-02T03:04:05.006Z'));
    });

    it('encodes scalars as JSON does, without whitespace', () => {
      expect(canonicalJson('a "quoted"\nline')).toBe(JSON.stringify('a "quoted"\nline'));
      expect(canonicalJson(true)).toBe('true');
      expect(canonicalJson(null)).toBe('null');
      expect(canonicalJson(-0.5)).toBe('-0.5');
      expect(canonicalJson({ list: [1, { a: 'b' }] })).not.toMatch(/\s/);
    });

    it('gives the output of RFC 8785 section 3.2.3 for its sample input (numbers, string escapes)', () => {
      const input = JSON.parse(
        '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
          '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
      ) as unknown;
      expect(canonicalJson(input)).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it('sorts keys by UTF-16 code units as RFC 8785 section 3.2.3 does (an emoji before U+FB33)', () => {
      const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6'];
      const encoded = canonicalJson(Object.fromEntries(keys.map((key, index) => [key, index])));
      expect(Object.keys(JSON.parse(encoded) as object)).toEqual([
        '1',
        '\r',
        '\u0080',
        '\u00f6',
        '\u20ac',
        '\ud83d\ude00',
        '\ufb33',
      ]);
      expect(encoded.indexOf('"\\r"')).toBeLessThan(encoded.indexOf('"1"'));
    });

    it.each([NaN, Infinity, -Infinity])('throws a TypeError for the non-finite number %s', (value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
      expect(() => canonicalJson({ nested: [value] })).toThrow(TypeError);
    });

    it.each([
      ['a function', () => 1],
      ['a symbol', Symbol('s')],
      ['a bigint', BigInt(1)],
      ['undefined', undefined],
    ])('throws a TypeError for %s', (_label, value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    });
  });

  describe(sha256Hex.name, () => {
    it('matches the FIPS 180-2 test vector for "abc"', () => {
      expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('hashes the empty string and a Buffer like the same string', () => {
      expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(sha256Hex(Buffer.from('abc', 'utf8'))).toBe(sha256Hex('abc'));
    });

    it('gives the same hash to objects that differ only in key order', () => {
      expect(sha256Hex(canonicalJson({ a: 1, b: 2 }))).toBe(sha256Hex(canonicalJson({ b: 2, a: 1 })));
    });
  });
});
