// npm run bench:bridge — load the bridge on loopback, bounded in time.
// Scenarios: GET /healthz at c=1/16/64, unauthorised POST at c=16, oversize POST at c=16,
// valid POST with a fast stub worker at c=1/4/16; then peak RSS. Baselines measured in
// the same run: a bare node:http server (upper bound for /healthz), and the original
// Python bridge when ORIGINAL_BRIDGE=/path/to/server.py is set (its fixed script paths
// and port are redirected, at run time, to stubs in a temp dir and a free loopback port).
// Env: BENCH_SECONDS (per scenario, default 3).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync, existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';

const root = fileURLToPath(new URL('..', import.meta.url));
let seconds = Number(process.env.BENCH_SECONDS ?? 3);
const work = mkdtempSync(join(tmpdir(), 'oss-bench-bridge-'));
const token = 'b'.repeat(64);
const tokenFile = join(work, 'token');
writeFileSync(tokenFile, token, { mode: 0o600 });
chmodSync(tokenFile, 0o600);

// one stub for every route, shared by both bridges: prints "ok", ignores its input
const scripts = join(work, 'scripts');
mkdirSync(scripts);
for (const name of ['run-codex', 'deploy-staging', 'query-readonly']) {
  writeFileSync(join(scripts, `${name}.sh`), '#!/bin/sh\necho ok\n', { mode: 0o755 });
}
const commands = join(work, 'commands.json');
writeFileSync(commands, JSON.stringify(Object.fromEntries(['run-codex', 'deploy-staging', 'query-readonly'].map((n) => [n, [join(scripts, `${n}.sh`)]]))));

const children = [];
function cleanup() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function freePort() {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(port, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing healthy on ${port}`);
}

/** spawn a server; drain its output (audit lines) so it never blocks on a full pipe */
function start(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  children.push(child);
  return child;
}

function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const big = JSON.stringify({ prompt: 'x'.repeat(9000) });
const valid = JSON.stringify({ query: 'select 1' });
const allScenarios = [
  { name: 'GET /healthz c=1', connections: 1, method: 'GET', path: '/healthz' },
  { name: 'GET /healthz c=16', connections: 16, method: 'GET', path: '/healthz' },
  { name: 'GET /healthz c=64', connections: 64, method: 'GET', path: '/healthz' },
  { name: 'unauthorised POST c=16', connections: 16, method: 'POST', path: '/run-codex', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: valid },
  { name: 'oversize POST c=16', connections: 16, method: 'POST', path: '/run-codex', auth: true, body: big },
  { name: 'valid POST (stub) c=1', connections: 1, method: 'POST', path: '/query-readonly', auth: true, body: valid },
  { name: 'valid POST (stub) c=4', connections: 4, method: 'POST', path: '/query-readonly', auth: true, body: valid },
  { name: 'valid POST (stub) c=16', connections: 16, method: 'POST', path: '/query-readonly', auth: true, body: valid },
  // the production path: Docker exec over HTTP (a fake Engine API), no process spawned by the bridge
  { name: 'valid POST (exec API) c=1', connections: 1, method: 'POST', path: '/query-readonly', auth: true, body: valid, target: 'docker' },
  { name: 'valid POST (exec API) c=4', connections: 4, method: 'POST', path: '/query-readonly', auth: true, body: valid, target: 'docker' },
  { name: 'valid POST (exec API) c=16', connections: 16, method: 'POST', path: '/query-readonly', auth: true, body: valid, target: 'docker' },
];

/**
 * Closed-loop load: `connections` clients, each sending its next request when the previous
 * answer is complete, over raw keep-alive sockets (reconnecting when the server closes).
 * Latency is per request, connect time included when the server closed the connection.
 * (autocannon's latency figures are wrong for servers that close connections, e.g. the
 * HTTP/1.0 Python bridge, so both rps and latency are measured here the same way for all.)
 */
function load(port, s) {
  const headers = s.auth ? { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } : (s.headers ?? {});
  const body = s.body ? Buffer.from(s.body) : Buffer.alloc(0);
  const head = [`${s.method} ${s.path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (s.body) head.push(`Content-Length: ${body.length}`);
  const request = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
  const latencies = [];
  const codes = {};
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;

  function client() {
    return new Promise((done) => {
      let sock = null;
      let buf = Buffer.alloc(0);
      let t0 = 0;
      let inflight = false;
      const next = () => {
        if (performance.now() >= deadline) {
          sock?.destroy();
          return done();
        }
        t0 = performance.now();
        inflight = true;
        if (!sock || sock.destroyed) open();
        sock.write(request);
      };
      const open = () => {
        buf = Buffer.alloc(0);
        sock = connect(port, '127.0.0.1');
        sock.setNoDelay(true);
        const mine = sock;
        mine.on('data', (c) => {
          buf = buf.length ? Buffer.concat([buf, c]) : c;
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const text = buf.subarray(0, end).toString('latin1');
          const len = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0);
          if (buf.length < end + 4 + len) return;
          const status = text.slice(9, 12);
          codes[status] = (codes[status] ?? 0) + 1;
          latencies.push(performance.now() - t0);
          inflight = false;
          const closing = /\r\nconnection: *close/i.test(text) || text.startsWith('HTTP/1.0');
          buf = buf.subarray(end + 4 + len);
          if (closing) mine.destroy();
          next();
        });
        mine.on('error', () => {});
        mine.on('close', () => {
          if (mine === sock && inflight) {
            errors++;
            inflight = false;
            sock = null;
            next();
          }
        });
      };
      next();
    });
  }
  return Promise.all(Array.from({ length: s.connections }, client)).then(() => {
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    return { rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), codes, errors };
  });
}

const measure = load;

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const codesText = (c) => Object.entries(c).map(([k, v]) => `${k}:${v}`).join(' ');

// BENCH_ONLY=substring runs only the matching scenarios
const scenarios = allScenarios.filter((s) => !process.env.BENCH_ONLY || s.name.includes(process.env.BENCH_ONLY));

async function main() {
  // ours: the real CLI, the real server, a local stub worker
  const ourPort = await freePort();
  const ours = start(process.execPath, [join(root, 'bin/oss'), 'bridge', 'serve', '--port', String(ourPort), '--token-file', tokenFile, '--commands', commands]);
  await waitHealthy(ourPort);

  // ours again, executing through a fake Engine API (the container's executor)
  const enginePort = await freePort();
  start(process.execPath, [join(root, 'bench/bridge-fake-engine.mjs'), String(enginePort)]);
  const dockerPort = await freePort();
  // the container entry itself (dist/bridge.cjs), as the bridge image runs it
  const oursDocker = start(process.execPath, [join(root, 'dist/bridge.cjs'), '--host', '127.0.0.1', '--port', String(dockerPort), '--token-file', tokenFile, '--docker-host', '127.0.0.1', '--docker-port', String(enginePort)]);
  await waitHealthy(dockerPort);

  // baseline 1: a bare node:http server in its own process, answering {"ok":true} to everything
  const barePort = await freePort();
  const bareSrc = `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(200,{'Content-Type':'application/json','Content-Length':11}).end('{"ok":true}'))}).listen(${barePort},'127.0.0.1')`;
  start(process.execPath, ['-e', bareSrc]);
  await waitHealthy(barePort);

  // baseline 2: the original Python bridge, if given
  let py = null;
  let pyPort = null;
  const original = process.env.ORIGINAL_BRIDGE;
  if (original) {
    if (!existsSync(original)) throw new Error(`ORIGINAL_BRIDGE=${original} does not exist`);
    pyPort = await freePort();
    let src = readFileSync(original, 'utf8');
    const patched = src.replace('("0.0.0.0", 8005)', `("127.0.0.1", ${pyPort})`).replaceAll('"/scripts/', `"${scripts}/`);
    if (patched === src || !patched.includes(String(pyPort))) throw new Error('could not redirect the original bridge port/scripts');
    writeFileSync(join(work, 'server.py'), patched);
    py = start('python3', [join(work, 'server.py')], { BRIDGE_TOKEN: token });
    await waitHealthy(pyPort);
  }

  console.log(`bridge benchmark: ${seconds}s per scenario, loopback, ${process.env.ORIGINAL_BRIDGE ? 'with' : 'without'} the original Python bridge (ORIGINAL_BRIDGE)`);
  // warm-up (JIT, connection paths) so the first scenario is not measuring a cold start
  const real = seconds;
  seconds = 0.3;
  for (const s of scenarios) {
    await measure(s.target === 'docker' ? dockerPort : ourPort, s);
    if (py) await measure(pyPort, s);
  }
  seconds = real;
  const rows = [];
  for (const s of scenarios) {
    const o = await measure(s.target === 'docker' ? dockerPort : ourPort, s);
    const p = py ? await measure(pyPort, s) : null;
    const b = s.path === '/healthz' ? await measure(barePort, s) : null;
    rows.push({ s, o, p, b });
    const parts = [
      `${s.name.padEnd(24)} ours ${fmt(o.rps).padStart(6)} req/s p50 ${fmt(o.p50, 2)} p99 ${fmt(o.p99, 2)} ms [${codesText(o.codes)}${o.errors ? ` err:${o.errors}` : ''}]`,
    ];
    if (p) parts.push(`| python ${fmt(p.rps).padStart(6)} req/s p50 ${fmt(p.p50, 2)} p99 ${fmt(p.p99, 2)} ms [${codesText(p.codes)}${p.errors ? ` err:${p.errors}` : ''}] | x${fmt(o.rps / p.rps, 2)} throughput, p99 x${fmt(p.p99 / Math.max(o.p99, 0.01), 2)} lower`);
    if (b) parts.push(`| bare node:http ${fmt(b.rps)} req/s (ours = ${fmt((o.rps / b.rps) * 100)}%)`);
    console.log(parts.join(' '));
  }
  console.log(`peak RSS: ours ${fmt(peakRssMb(ours.pid), 1)} MB (oss bridge serve, local exec), ${fmt(peakRssMb(oursDocker.pid), 1)} MB (container entry dist/bridge.cjs, exec API)${py ? `, python ${fmt(peakRssMb(py.pid), 1)} MB (ratio x${fmt(peakRssMb(ours.pid) / peakRssMb(py.pid), 2)})` : ''}`);
  const within = rows.filter((r) => r.s.name.startsWith('valid') && r.s.connections <= 4);
  const busy = within.reduce((n, r) => n + (r.o.codes['503'] ?? 0), 0);
  console.log(`503 busy while concurrency <= slots (4): ${busy}`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));
  process.exit(busy === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`bench:bridge failed: ${e.message}`);
  process.exit(2);
});
