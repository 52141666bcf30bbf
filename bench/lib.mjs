// Shared by the benchmarks: options, timed child runs, medians.
import { spawnSync } from 'node:child_process';

/** `--name value` options, `--runs N` (or BENCH_RUNS), `--check`; three warm-up runs */
export function benchArgs(argv = process.argv.slice(2)) {
  const opt = (name, dflt) => {
    const i = argv.indexOf(name);
    return i === -1 ? dflt : argv[i + 1];
  };
  return { argv, opt, runs: Number(opt('--runs', process.env.BENCH_RUNS ?? '30')), warmup: 3, check: argv.includes('--check') };
}

/** spawnSync with its wall time in ms */
export function timedSpawn(file, args, options) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, options);
  return { ...r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
