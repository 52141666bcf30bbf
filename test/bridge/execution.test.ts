// Execution semantics over real HTTP with real child processes: slots and 503 busy,
// timeouts that kill the whole process group (504), output caps, SIGTERM drain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, healthz, post, rawRequest, startBridge, waitFor, type RunningBridge } from './helpers';

let b: RunningBridge | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

const q = (s: string) => JSON.stringify({ query: s });

describe('bridge execution', () => {
  it('four slots: the fifth concurrent request gets 503 busy immediately, the four succeed', async () => {
    b = await startBridge({ stubs: { 'query-readonly': 'sleep 1; cat' } });
    const port = b.port;
    const running = [1, 2, 3, 4].map((i) => rawRequest(port, post('/query-readonly', q(`select ${i}`))));
    expect(await waitFor(() => b!.bridge.active === 4, 2000)).toBe(true);
    const fifth = await rawRequest(port, post('/query-readonly', q('select 5')));
    expect(fifth.status).toBe(503);
    expect(JSON.parse(fifth.body)).toEqual({ ok: false, error: 'busy' });
    expect(fifth.headers['retry-after']).toBe('1');
    expect(fifth.ms).toBeLessThan(300);
    // healthz is not an execution: it answers while every slot is busy
    expect((await healthz(port)).status).toBe(200);
    const done = await Promise.all(running);
    expect(done.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(done.map((r) => JSON.parse(r.body).stdout).sort()).toEqual(['select 1', 'select 2', 'select 3', 'select 4']);
    expect(b.audit.filter((r) => r.reason === 'busy')).toHaveLength(1);
  });

  it('concurrency is configurable', async () => {
    b = await startBridge({ concurrency: 1, stubs: { 'query-readonly': 'sleep 1; cat' } });
    const first = rawRequest(b.port, post('/query-readonly', q('select 1')));
    expect(await waitFor(() => b!.bridge.active === 1, 2000)).toBe(true);
    expect((await rawRequest(b.port, post('/query-readonly', q('select 2')))).status).toBe(503);
    expect((await first).status).toBe(200);
  });

  it('timeout: 504, and the worker process group (with its background child) is gone', async () => {
    b = await startBridge({
      routeTimeoutMs: { 'query-readonly': 500 },
      stubs: { 'query-readonly': `echo $$ > "$(dirname "$0")/leader.pid"; sleep 30 & echo $! > "$(dirname "$0")/child.pid"; sleep 30` },
    });
    const res = await rawRequest(b.port, post('/query-readonly', q('select pg_sleep(60)')));
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: 'script timeout' });
    expect(res.ms).toBeLessThan(2500);
    const leader = Number(readFileSync(join(b.dir, 'leader.pid'), 'utf8'));
    const child = Number(readFileSync(join(b.dir, 'child.pid'), 'utf8'));
    expect(leader).toBeGreaterThan(1);
    expect(child).toBeGreaterThan(1);
    expect(await waitFor(() => !groupAlive(leader), 1000)).toBe(true);
    expect(b.bridge.active).toBe(0);
    expect((await healthz(b.port)).status).toBe(200);
  });

  it('a worker that exits leaves nothing behind in its group', async () => {
    b = await startBridge({
      stubs: { 'deploy-staging': `echo $$ > "$(dirname "$0")/leader.pid"; (sleep 30 >/dev/null 2>&1 &); echo started` },
    });
    const res = await rawRequest(b.port, post('/deploy-staging', '{}'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, exit_code: 0, stdout: 'started\n' });
    const leader = Number(readFileSync(join(b.dir, 'leader.pid'), 'utf8'));
    expect(await waitFor(() => !groupAlive(leader), 1000)).toBe(true);
  });

  it('a request needing longer than the request timeout still gets its answer', async () => {
    b = await startBridge({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 400 }, stubs: { 'query-readonly': 'sleep 1.5; cat' } });
    const res = await rawRequest(b.port, post('/query-readonly', q('select 1')), 5000);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).stdout).toBe('select 1');
  });

  it('caps each output stream and says so', async () => {
    b = await startBridge({
      limits: { maxOutputBytes: 1000 },
      stubs: { 'deploy-staging': 'head -c 5000 /dev/zero | tr "\\0" o; echo tiny >&2' },
    });
    const res = await rawRequest(b.port, post('/deploy-staging', ''));
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ ok: true, exit_code: 0, stderr: 'tiny\n', truncated: true });
    expect(body.stdout).toBe('o'.repeat(1000));
    expect(b.audit.at(-1)).toMatchObject({ reason: 'ok_truncated', truncated: true });
  });

  it('passes the exit status through; a signal becomes 128+n', async () => {
    b = await startBridge({ stubs: { 'deploy-staging': 'kill -TERM $$', 'query-readonly': 'exit 7' } });
    const killed = JSON.parse((await rawRequest(b.port, post('/deploy-staging', '{}'))).body);
    expect(killed).toMatchObject({ ok: false, exit_code: 143 });
    const seven = JSON.parse((await rawRequest(b.port, post('/query-readonly', q('x')))).body);
    expect(seven).toMatchObject({ ok: false, exit_code: 7 });
  });

  it('a worker that cannot start is a 500 naming no path', async () => {
    b = await startBridge();
    const { localExecutor } = await import('../../src/bridge/local-executor');
    const { createBridge } = await import('../../src/bridge/server');
    const broken = createBridge({
      token: 'x'.repeat(40),
      executor: localExecutor({ 'run-codex': ['/nonexistent/oss-worker'], 'deploy-staging': ['/nonexistent'], 'query-readonly': ['/nonexistent'] }),
      audit: () => {},
    });
    const { port } = await broken.listen(0, '127.0.0.1');
    try {
      const res = await rawRequest(port, Buffer.from(`POST /deploy-staging HTTP/1.1\r\nConnection: close\r\nAuthorization: Bearer ${'x'.repeat(40)}\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n`));
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ ok: false, error: 'exec failed' });
    } finally {
      await broken.drain();
    }
  });

  it('drain: a running execution finishes, new connections are refused', async () => {
    b = await startBridge({ stubs: { 'query-readonly': 'sleep 0.7; cat' } });
    const port = b.port;
    const running = rawRequest(port, post('/query-readonly', q('select 1')));
    expect(await waitFor(() => b!.bridge.active === 1, 2000)).toBe(true);
    const drained = b.bridge.drain();
    await new Promise((r) => setTimeout(r, 100));
    const refused = await rawRequest(port, post('/query-readonly', q('select 2')), 1000);
    expect(refused.status).toBe(0);
    const res = await running;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    await drained;
  });
});
