// The validator alone, with the real PostgreSQL grammar: no database needed.
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedFunctions, knownSideEffectFunctions } from '../../src/query/function-policy';
import { loadParser } from '../../src/query/pg-parser';
import { decodeInput, validateInput, validateSql } from '../../src/query/validate';
import { corpus } from './corpus';

beforeAll(async () => {
  await loadParser();
});

describe('corpus: the validator refuses exactly the refuse cases', () => {
  it('has at least 60 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
  });
  for (const c of corpus) {
    it(`${c.expect === 'refuse' ? 'refuses' : 'accepts'}: ${c.name}`, () => {
      const v = validateSql(c.sql);
      if (c.expect === 'refuse') {
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.reason).toMatch(c.reason);
      } else {
        expect(v).toMatchObject({ ok: true });
      }
    });
  }
});

describe('bytes before parsing', () => {
  it('refuses a NUL byte even when the text before it is an honest read', async () => {
    // libpg_query would stop at the NUL and see only "SELECT 1"
    const v = await validateInput(Buffer.from('SELECT 1\0; DROP TABLE orders'));
    expect(v).toEqual({ ok: false, reason: 'input contains a NUL byte' });
  });
  it('refuses invalid UTF-8', async () => {
    const v = await validateInput(Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0xff, 0x27]));
    expect(v).toEqual({ ok: false, reason: 'input is not valid UTF-8' });
  });
  it('refuses an overlong UTF-8 encoding of a quote', () => {
    expect(decodeInput(Buffer.from([0x27, 0xc0, 0xa7]))).toMatchObject({ ok: false });
  });
  it('counts characters, not bytes: 2000 multi-byte characters pass, 2001 do not', () => {
    const body = 'é'.repeat(2000 - "SELECT ''".length);
    expect(validateSql(`SELECT '${body}'`)).toMatchObject({ ok: true });
    expect(validateSql(`SELECT '${body}é'`)).toMatchObject({ ok: false, reason: /2001 characters/ });
  });
});

describe('statement text handed to the database', () => {
  it('is the one statement without the trailing semicolon and comment', () => {
    expect(validateSql('SELECT 1 ; -- done')).toMatchObject({ ok: true, statement: 'SELECT 1 ' });
  });
  it('keeps multi-byte text intact (parser offsets are bytes)', () => {
    expect(validateSql("SELECT 'ü€😀' AS s;")).toMatchObject({ ok: true, statement: "SELECT 'ü€😀' AS s" });
  });
});

describe('function policy', () => {
  it('refuses every known side-effect function, unqualified and pg_catalog-qualified', () => {
    for (const fn of knownSideEffectFunctions) {
      expect(allowedFunctions.has(fn), fn).toBe(false);
      expect(validateSql(`SELECT ${fn}(1)`), fn).toMatchObject({ ok: false, reason: new RegExp(`${fn}\\(\\)`) });
      expect(validateSql(`SELECT * FROM pg_catalog.${fn}(1)`), fn).toMatchObject({ ok: false });
    }
  });
  it('allows common aggregates, window and text functions', () => {
    const sql =
      "SELECT count(*), sum(amount), avg(amount), max(created_at), string_agg(customer, ','), " +
      "lower(customer), date_trunc('month', created_at), rank() OVER (ORDER BY amount) FROM orders GROUP BY customer, amount, created_at";
    expect(validateSql(sql)).toMatchObject({ ok: true });
  });
});
