// npm run bench:verify-live — wall time of a full live `oss verify` (no red-team) against the
// running stack, as a ratio to baselines measured in the same run: the CLI's own start
// (`oss --version`) and the files-only `oss verify --static`. Target: under 3 s.
//
//   npm run bench:verify-live -- /opt/openclaw-stack   # a stack that is up
//   npm run bench:verify-live                          # brings a throwaway stack up (local
//                                                      # images, stub codex), measures, takes it down
import { median, timedSpawn } from './lib.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const oss = (args, opts = {}) => {
  return timedSpawn(process.execPath, ['bin/oss', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20, ...opts });
};
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

let dir = process.argv[2] ?? process.env.OSS_STACK_DIR;
let own = false;
if (!dir) {
  own = true;
  dir = mkdtempSync(join(tmpdir(), 'oss-bench-'));
  writeFileSync(join(dir, 'oss.yaml'), 'version: 1\ngateway: { port: 18391 }\nimages: { node: "local/node:24", debian: "local/debian:bookworm", pullPolicy: never }\ncodex: { package: stub }\n');
  console.log(`no stack dir given: bringing a throwaway stack up in ${dir} (local images; bash scripts/setup-docker.sh first)`);
  for (const step of [['init', '--dir', dir], ['up', '--dir', dir, '--timeout', '900']]) {
    const r = oss(step, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      oss(['down', '--dir', dir]);
      rmSync(dir, { recursive: true, force: true });
      process.exit(2);
    }
  }
}

try {
  const first = oss(['verify', '--dir', dir, '--json']);
  const report = JSON.parse(first.stdout || '{}');
  const live = (report.results ?? []).filter((r) => r.needs.some((n) => n !== 'files'));
  if (!live.some((r) => r.status === 'pass' || r.status === 'fail')) {
    console.error(`no live check ran against ${dir}: is the stack up? (oss up --dir ${dir})`);
    process.exit(2);
  }
  const version = [], stat = [], full = [];
  for (let i = 0; i < RUNS; i++) {
    version.push(oss(['--version']).ms);
    stat.push(oss(['verify', '--dir', dir, '--static', '--json']).ms);
    full.push(oss(['verify', '--dir', dir, '--json']).ms);
  }
  const base = median(version);
  const ran = live.filter((r) => r.status !== 'skip');
  console.log(`oss verify against the running stack in ${dir}: ${report.summary.total} checks, ${ran.length} of them live (${live.length - ran.length} live skipped: --deep/--redteam), ${RUNS} runs each, medians`);
  console.log(`  oss --version (CLI start, baseline)   ${s(base)}   1.0x`);
  console.log(`  oss verify --static (files only)       ${s(median(stat))}   ${(median(stat) / base).toFixed(1)}x`);
  console.log(`  oss verify (live, no red-team)         ${s(median(full))}   ${(median(full) / base).toFixed(1)}x   (min ${s(Math.min(...full))}, max ${s(Math.max(...full))}; target < 3 s: ${median(full) < 3000 ? 'met' : 'NOT met'})`);
  const slow = [...report.results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
  console.log(`  slowest checks (first run): ${slow.map((r) => `${r.id} ${Math.round(r.durationMs)} ms`).join(', ')}`);
} finally {
  if (own) {
    oss(['down', '--dir', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    rmSync(dir, { recursive: true, force: true });
  }
}
