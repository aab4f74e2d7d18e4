import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { parseBody, parseJson } from './call-params';

const HALF_PAIR = 'a string holds half of a UTF-16 surrogate pair';

describe('reading a call’s JSON', () => {
  it.each([
    ['a lone high surrogate in a value', '{"clientOrderId": "\\ud800"}'],
    ['a lone low surrogate in a value', '{"clientOrderId": "a\\udc00b"}'],
    ['a pair written the wrong way round', '{"comment": "\\ude00\\ud83d"}'],
    ['one in a key', '{"\\ud800": 1}'],
    ['one deep in a list', '{"pairs": ["BTC-USD", ["\\udbff"]]}'],
  ])('refuses %s, which no encoding (nor PostgreSQL) can carry', (_, text) => {
    expect(parseJson(text)).toEqual({ ok: false, problem: HALF_PAIR });
    expect(() => parseBody(Buffer.from(text))).toThrow(new ApiError(400, `Malformed JSON body: ${HALF_PAIR}`));
  });

  it.each([
    ['an escaped pair', '{"comment": "\\ud83d\\ude00"}', { comment: '😀' }],
    ['the character itself', '{"comment": "😀"}', { comment: '😀' }],
    ['other escapes', '{"comment": "\\u00e9\\n"}', { comment: 'é\n' }],
  ])('reads %s', (_, text, value) => {
    expect(parseJson(text)).toEqual({ ok: true, value });
  });

  it('turns bytes that are not UTF-8 into U+FFFD, which is well-formed', () => {
    expect(parseBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]))).toEqual({ a: '\ufffd\ufffd\ufffd' });
  });

  it('walks a 64 KB body nested 30,000 deep without running out of stack', () => {
    const deep = `${'['.repeat(30_000)}"\\ud800"${']'.repeat(30_000)}`;
    expect(parseJson(deep)).toEqual({ ok: false, problem: HALF_PAIR });
    expect(parseJson(`${'['.repeat(30_000)}"\\u00e9"${']'.repeat(30_000)}`).ok).toBe(true);
  });

  it('says only "Malformed JSON body" when it is not JSON, and reads an empty body as no params', () => {
    expect(() => parseBody(Buffer.from('{'))).toThrow(new ApiError(400, 'Malformed JSON body'));
    expect(parseBody(Buffer.from('  '))).toEqual({});
  });
});
