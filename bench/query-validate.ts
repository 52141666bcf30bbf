// Validation cost per query over the corpus (bundled and run by bench/query.mjs).
// Baseline in the same run: the original's substring filter on the same strings.
import { loadParser, parseSql } from '../src/query/pg-parser';
import { validateSql } from '../src/query/validate';
import { corpus } from '../test/query/corpus';

const ITER = Number(process.env.BENCH_ITER ?? '300');

// SPEC section 3: must start with SELECT/WITH, no write keyword anywhere, LIMIT appended
const WRITE_WORDS = /INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|TRUNCATE|GRANT|REVOKE|COPY|EXECUTE|CALL/i;
function originalFilter(sql: string): string | null {
  const t = sql.trim();
  if (!t || t.length > 2000 || !/^(SELECT|WITH)\b/i.test(t) || WRITE_WORDS.test(t)) return null;
  return /LIMIT/i.test(t) ? t : `${t} LIMIT 100`;
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** per-case median µs of fn over ITER calls */
function perCase(fn: (sql: string) => unknown): number[] {
  return corpus.map((c) => {
    for (let i = 0; i < 20; i++) fn(c.sql);
    const times: number[] = [];
    for (let i = 0; i < ITER; i++) {
      const t0 = process.hrtime.bigint();
      fn(c.sql);
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return medianOf(times);
  });
}

async function main(): Promise<void> {
const t0 = process.hrtime.bigint();
const tierUp = process.env.BENCH_TIERUP === '1';
await loadParser({ tierUp });
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
const parse = (sql: string) => {
  try {
    return parseSql(sql);
  } catch {
    return null;
  }
};
const rows = {
  filter: perCase(originalFilter),
  parse: perCase(parse),
  validate: perCase((s) => validateSql(s)),
};
const summary = Object.fromEntries(
  Object.entries(rows).map(([k, v]) => [k, { median: medianOf(v), p90: [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)]!, max: Math.max(...v) }]),
);
process.stdout.write(`${JSON.stringify({ cases: corpus.length, iter: ITER, tierUp, loadMs, summary })}\n`);
}

void main();
