// Query runner benchmark, figures as ratios to baselines measured in the same run:
//   1. validation µs per query (median over the corpus) vs the original substring filter
//   2. end to end, a 100-row SELECT: `oss query` and the worker bundle vs `psql`
//      doing the same against the same PostgreSQL (scripts/setup-postgres.sh)
//   npm run bench:query [-- --runs 30]
import { spawnSync } from 'node:child_process';
import { benchArgs, median, timedSpawn } from './lib.mjs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const { runs, warmup } = benchArgs();
const fail = (msg, hint) => {
  process.stderr.write(`bench:query: error: ${msg}\n${hint ? `hint: ${hint}\n` : ''}`);
  process.exit(2);
};

const work = mkdtempSync(join(tmpdir(), 'oss-bench-query-'));
const fmt = (n, d = 1) => n.toFixed(d).padStart(9);

try {
  // ------------------------------------------------------------ 1. validation
  const out = join(work, 'validate.cjs');
  await build({
    entryPoints: ['bench/query-validate.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    loader: { '.wasm': 'binary' },
    logLevel: 'warning',
  });
  for (const tierUp of ['0', '1']) {
    const v = spawnSync(process.execPath, [out], { encoding: 'utf8', env: { ...process.env, BENCH_TIERUP: tierUp } });
    if (v.status !== 0) fail(`validation bench failed: ${v.stderr}`);
    const val = JSON.parse(v.stdout);
    const base = val.summary.filter.median;
    const mode = val.tierUp ? 'optimised wasm (V8 tier-up: long-lived process)' : 'baseline wasm (Liftoff only: what oss query and the worker run)';
    console.log(`Validation, µs per query, ${mode}`);
    console.log(`  per-case median of ${val.iter} calls; median / p90 / max over ${val.cases} corpus cases; parser load ${val.loadMs.toFixed(1)} ms`);
    for (const [k, label] of [
      ['filter', 'original substring filter (baseline)'],
      ['parse', 'libpg_query parse only'],
      ['validate', 'oss validation (parse + policy walk)'],
    ]) {
      const s = val.summary[k];
      console.log(`  ${label.padEnd(44)} ${fmt(s.median, 2)} ${fmt(s.p90, 2)} ${fmt(s.max, 2)}   x${(s.median / base).toFixed(0)} baseline`);
    }
  }

  // ------------------------------------------------------------ 2. end to end
  const state = process.env.OSS_PG_STATE ?? (process.getuid?.() === 0 ? '/var/lib/oss-test-postgres' : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'oss-test-postgres'));
  const envFile = process.env.OSS_PG_ENV_FILE ?? join(state, 'env.json');
  if (!existsSync(envFile)) fail(`${envFile} not found`, 'bash scripts/setup-postgres.sh');
  if (!existsSync('dist/cli.cjs') || !existsSync('dist/query-runner.cjs')) fail('dist/ bundles missing', 'npm run bundle');
  const pg = JSON.parse(readFileSync(envFile, 'utf8'));
  const dsn = new URL(readFileSync(pg.readonlyDsnFile, 'utf8').trim());
  // psql gets its password from a pass file, not argv or env values
  const passfile = join(work, 'pgpass');
  writeFileSync(passfile, `${dsn.hostname}:${dsn.port}:${pg.database}:${dsn.username}:${decodeURIComponent(dsn.password)}\n`, { mode: 0o600 });
  const sql = 'SELECT * FROM orders WHERE id <= 100 ORDER BY id';
  const cases = [
    { name: 'psql (baseline)', file: 'psql', args: ['-X', '-q', '-A', '-h', dsn.hostname, '-p', dsn.port, '-U', dsn.username, '-d', pg.database, '-c', sql], input: '', baseline: true },
    { name: 'oss query (node bin/oss)', file: process.execPath, args: [resolve('bin/oss'), 'query', '--dsn-file', pg.readonlyDsnFile], input: sql },
    { name: 'worker bundle (node dist/query-runner.cjs)', file: process.execPath, args: [resolve('dist/query-runner.cjs'), '--dsn-file', pg.readonlyDsnFile], input: sql },
    { name: 'node -e 0 (process start alone)', file: process.execPath, args: ['-e', '0'], input: '' },
  ];
  if (existsSync('build/oss')) cases.push({ name: 'oss query (single binary build/oss)', file: resolve('build/oss'), args: ['query', '--dsn-file', pg.readonlyDsnFile], input: sql });
  const env = { PATH: process.env.PATH, PGPASSFILE: passfile, NO_COLOR: '1' };
  const once = (c) => {
    const r = timedSpawn(c.file, c.args, { input: c.input, env, encoding: 'utf8' });
    return { ms: r.ms, r };
  };
  for (const c of cases) {
    const { r } = once(c);
    if (r.status !== 0) fail(`${c.name} failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(0, 300)}`);
    if (c.args.includes('query') || c.name.startsWith('worker')) {
      const o = JSON.parse(r.stdout);
      if (o.rowCount !== 100) fail(`${c.name} returned ${o.rowCount} rows, expected 100`);
    } else if (c.baseline) {
      const lines = r.stdout.trim().split('\n');
      if (lines.length !== 102) fail(`psql printed ${lines.length} lines, expected header + 100 rows + footer`);
    }
    c.times = [];
  }
  // interleaved round-robin so machine load drifts over all rows alike
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of cases) {
      const { ms } = once(c);
      if (i >= warmup) c.times.push(ms);
    }
  }
  const b = median(cases.find((c) => c.baseline).times);
  console.log(`\nEnd to end, 100-row SELECT over TCP to 127.0.0.1 (median of ${runs} runs, ms, process start included)`);
  for (const c of cases) {
    const m = median(c.times);
    console.log(`  ${c.name.padEnd(44)} ${fmt(m)} ms   x${(m / b).toFixed(2)} psql`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
