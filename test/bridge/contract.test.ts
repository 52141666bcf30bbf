// Contract tests over real HTTP: a real bridge on loopback, real child processes as
// workers, and a corpus of hostile requests sent as raw bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { TOKEN, healthz, httpText, post, rawRequest, startBridge, type RunningBridge } from './helpers';

const MARK = 'BODY-MARKER-7f3a';
const auth = `Authorization: Bearer ${TOKEN}`;
const json = 'Content-Type: application/json';

/** JSON padded with whitespace to exactly n bytes */
function padded(obj: unknown, n: number): string {
  const s = JSON.stringify(obj);
  return s + ' '.repeat(n - Buffer.byteLength(s));
}

function chunked(path: string, chunks: string[], extra: string[] = []): Buffer {
  const body = chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n';
  return httpText('POST', path, [auth, json, 'Transfer-Encoding: chunked', ...extra], body);
}

type Case = { name: string; send: Buffer | string | ((s: Socket) => void); status: number; error?: string };

const valid = JSON.stringify({ prompt: `hello ${MARK}` });

const corpus: Case[] = [
  // Authorization
  { name: 'missing Authorization', send: httpText('POST', '/run-codex', [json, `Content-Length: ${valid.length}`], valid), status: 401, error: 'unauthorized' },
  { name: 'empty Bearer', send: httpText('POST', '/run-codex', ['Authorization: Bearer', json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'short token', send: httpText('POST', '/run-codex', ['Authorization: Bearer abc', json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'wrong token, same length', send: httpText('POST', '/run-codex', [`Authorization: Bearer ${'b'.repeat(TOKEN.length)}`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'token off by its last character', send: httpText('POST', '/run-codex', [`Authorization: Bearer ${TOKEN.slice(0, -1)}x`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'token with a suffix', send: httpText('POST', '/run-codex', [`Authorization: Bearer ${TOKEN}0`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'lower-case scheme "bearer"', send: httpText('POST', '/run-codex', [`Authorization: bearer ${TOKEN}`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'upper-cased token', send: httpText('POST', '/run-codex', [`Authorization: Bearer ${TOKEN.toUpperCase()}`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'Basic scheme', send: httpText('POST', '/run-codex', [`Authorization: Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'double space after Bearer', send: httpText('POST', '/run-codex', [`Authorization: Bearer  ${TOKEN}`, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'duplicated Authorization (both right)', send: post('/run-codex', valid, [auth]), status: 401 },
  { name: 'duplicated Authorization (wrong first)', send: httpText('POST', '/run-codex', ['Authorization: Bearer nope', auth, json, `Content-Length: ${valid.length}`], valid), status: 401 },
  { name: 'lower-case header name is still HTTP', send: httpText('POST', '/run-codex', [`authorization: Bearer ${TOKEN}`, json, `Content-Length: ${valid.length}`], valid), status: 200 },
  // Content-Length and Transfer-Encoding
  { name: 'no Content-Length: no body', send: httpText('POST', '/query-readonly', [auth, json], valid), status: 400, error: 'query is required' },
  { name: 'negative Content-Length', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: -1'], valid), status: 400 },
  { name: 'non-numeric Content-Length', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: ten'], valid), status: 400 },
  { name: 'mismatched duplicate Content-Length', send: httpText('POST', '/run-codex', [auth, json, `Content-Length: ${valid.length}`, 'Content-Length: 3'], valid), status: 400 },
  { name: 'Content-Length shorter than the body', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: 5'], valid), status: 400, error: 'invalid json' },
  { name: 'huge Content-Length', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: 99999999999'], valid), status: 413, error: 'body too large' },
  { name: 'Content-Length beyond 2^53', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: 99999999999999999999999'], valid), status: 400 },
  { name: 'body exactly 8192 bytes', send: post('/run-codex', padded({ prompt: MARK }, 8192)), status: 200 },
  { name: 'body of 8193 bytes', send: post('/run-codex', padded({ prompt: MARK }, 8193)), status: 413 },
  { name: 'chunked body within the cap', send: chunked('/run-codex', ['{"prompt":', `"${MARK}"}`]), status: 200 },
  { name: 'chunked body over the cap', send: chunked('/run-codex', ['{"prompt":"', 'x'.repeat(5000), 'y'.repeat(5000), '"}']), status: 413 },
  { name: 'chunked body of exactly 8193 bytes', send: chunked('/run-codex', [padded({ prompt: MARK }, 8000), ' '.repeat(193)]), status: 413 },
  { name: 'chunked plus Content-Length (smuggling)', send: httpText('POST', '/run-codex', [auth, json, 'Content-Length: 4', 'Transfer-Encoding: chunked'], '0\r\n\r\n'), status: 400 },
  { name: 'bad chunk size', send: httpText('POST', '/run-codex', [auth, json, 'Transfer-Encoding: chunked'], 'zz\r\nabc\r\n0\r\n\r\n'), status: 400 },
  // bodies
  { name: 'invalid JSON', send: post('/run-codex', '{"prompt":'), status: 400, error: 'invalid json' },
  { name: 'invalid UTF-8', send: post('/run-codex', Buffer.from([0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), status: 400, error: 'invalid json' },
  { name: 'JSON array', send: post('/run-codex', `["${MARK}"]`), status: 400, error: 'body must be object' },
  { name: 'JSON string', send: post('/run-codex', `"${MARK}"`), status: 400, error: 'body must be object' },
  { name: 'JSON null', send: post('/run-codex', 'null'), status: 400, error: 'body must be object' },
  { name: 'field is a number', send: post('/run-codex', '{"prompt":5}'), status: 400, error: 'prompt must be string' },
  { name: 'field is an object', send: post('/query-readonly', '{"query":{"sql":"select 1"}}'), status: 400, error: 'query must be string' },
  { name: 'extra field', send: post('/run-codex', JSON.stringify({ prompt: MARK, cwd: '/' })), status: 400 },
  { name: 'deploy-staging refuses any field', send: post('/deploy-staging', '{"target":"production"}'), status: 400, error: 'deploy-staging takes no input' },
  { name: 'empty prompt', send: post('/run-codex', '{"prompt":""}'), status: 400, error: 'prompt is required' },
  { name: 'whitespace-only prompt', send: post('/run-codex', '{"prompt":"  \\n "}'), status: 400, error: 'prompt is required' },
  { name: 'prompt of 4001 characters', send: post('/run-codex', JSON.stringify({ prompt: 'p'.repeat(4001) })), status: 400, error: 'prompt exceeds 4000 character limit' },
  { name: 'prompt of 4000 characters', send: post('/run-codex', JSON.stringify({ prompt: 'p'.repeat(4000) })), status: 200 },
  { name: 'query of 2001 characters', send: post('/query-readonly', JSON.stringify({ query: 'q'.repeat(2001) })), status: 400, error: 'query exceeds 2000 character limit' },
  // content type
  { name: 'text/plain', send: httpText('POST', '/run-codex', [auth, 'Content-Type: text/plain', `Content-Length: ${valid.length}`], valid), status: 415 },
  { name: 'no Content-Type', send: httpText('POST', '/run-codex', [auth, `Content-Length: ${valid.length}`], valid), status: 415 },
  { name: 'json with a latin1 charset', send: httpText('POST', '/run-codex', [auth, 'Content-Type: application/json; charset=latin1', `Content-Length: ${valid.length}`], valid), status: 415 },
  { name: 'form encoding', send: httpText('POST', '/run-codex', [auth, 'Content-Type: application/x-www-form-urlencoded', 'Content-Length: 8'], 'prompt=x'), status: 415 },
  // paths
  { name: 'unknown route', send: post('/run', valid), status: 404, error: 'unknown endpoint' },
  { name: 'trailing slash', send: post('/run-codex/', valid), status: 404 },
  { name: 'query string', send: post('/run-codex?prompt=x', valid), status: 404 },
  { name: 'dot-dot path', send: post('/x/../run-codex', valid), status: 404 },
  { name: 'percent-encoded path', send: post('/run%2Dcodex', valid), status: 404 },
  { name: 'encoded slash', send: post('/%2Frun-codex', valid), status: 404 },
  { name: 'double slash', send: post('//run-codex', valid), status: 404 },
  { name: 'absolute-form target', send: post('http://bridge/run-codex', valid), status: 404 },
  { name: 'upper-case path', send: post('/RUN-CODEX', valid), status: 404 },
  // methods
  { name: 'GET on a route', send: httpText('GET', '/run-codex', [auth]), status: 405 },
  { name: 'PUT on a route', send: httpText('PUT', '/run-codex', [auth, json, `Content-Length: ${valid.length}`], valid), status: 405 },
  { name: 'DELETE /healthz', send: httpText('DELETE', '/healthz', []), status: 405 },
  { name: 'HEAD /healthz', send: httpText('HEAD', '/healthz', []), status: 200 },
  { name: 'GET unknown', send: httpText('GET', '/admin', []), status: 404, error: 'not found' },
  { name: 'GET /healthz/', send: httpText('GET', '/healthz/', []), status: 404 },
  { name: 'lower-case method', send: httpText('post', '/run-codex', [auth, json, `Content-Length: ${valid.length}`], valid), status: 400 },
  // malformed
  { name: 'very long URL', send: post(`/run-codex?${'a'.repeat(20_000)}`, valid), status: 431 },
  { name: 'very long header', send: post('/run-codex', valid, [`X-Pad: ${'h'.repeat(20_000)}`]), status: 431 },
  { name: 'garbage request line', send: 'HELLO WORLD\r\n\r\n', status: 400 },
  { name: 'NUL in the path', send: Buffer.from(`GET /heal\0thz HTTP/1.1\r\nConnection: close\r\n\r\n`, 'latin1'), status: 400 },
  { name: 'header without a colon', send: httpText('POST', '/run-codex', [auth, 'NoColonHere', json], ''), status: 400 },
  { name: 'HTTP/2 preface', send: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 400 },
];

describe('bridge contract: hostile corpus', () => {
  let b: RunningBridge;
  beforeAll(async () => {
    b = await startBridge({ limits: { headersTimeoutMs: 1000, requestTimeoutMs: 1500 } });
  });
  afterAll(() => b.close());

  it('has at least 40 hostile requests', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of corpus) {
    it(`${c.name} -> ${c.status}`, async () => {
      const res = await rawRequest(b.port, c.send);
      expect(res.status, res.raw.slice(0, 300)).toBe(c.status);
      if (c.status !== 200 || c.name.startsWith('HEAD')) {
        if (c.name.startsWith('HEAD')) expect(res.body).toBe('');
        else expect(JSON.parse(res.body).ok).toBe(false);
      } else {
        expect(JSON.parse(res.body)).toMatchObject({ ok: true, exit_code: 0 });
      }
      if (c.error) expect(JSON.parse(res.body).error).toBe(c.error);
      // the server stays healthy after every one
      expect((await healthz(b.port)).status).toBe(200);
    });
  }

  it('a refused small body is discarded and the connection stays usable (413, 401, then 200 on the same socket)', async () => {
    const big = JSON.stringify({ prompt: 'x'.repeat(9000) });
    const head = (auth2: string, len: number) => `POST /run-codex HTTP/1.1\r\nHost: b\r\n${auth2}\r\n${json}\r\nContent-Length: ${len}\r\n\r\n`;
    const res = await rawRequest(b.port, (s) => {
      s.write(head(auth, big.length) + big);
      s.write(head('Authorization: Bearer nope', valid.length) + valid);
      s.write('GET /healthz HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n');
    });
    const statuses = [...res.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([413, 401, 200]);
  });

  it('a declared body over 8x the cap is refused without reading it and the connection closed', async () => {
    const res = await rawRequest(b.port, (s) => {
      s.write(`POST /run-codex HTTP/1.1\r\nHost: b\r\n${auth}\r\n${json}\r\nContent-Length: 100000\r\n\r\n`);
      s.write('x'.repeat(1000));
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  it('a Content-Length longer than the body is cut off by the request timeout (408)', async () => {
    const res = await rawRequest(b.port, httpText('POST', '/run-codex', [auth, json, 'Content-Length: 100'], '{"prompt":"x"}'), 6000);
    expect(res.status).toBe(408);
    expect(res.ms).toBeLessThan(4000);
  });

  it('slow headers (slowloris) are dropped after the header timeout', async () => {
    const res = await rawRequest(
      b.port,
      (s) => {
        s.write('POST /run-codex HTTP/1.1\r\n');
        const t = setInterval(() => (s.writable ? s.write(`X-Drip-${Date.now()}: 1\r\n`) : clearInterval(t)), 200);
        s.on('close', () => clearInterval(t));
      },
      6000,
    );
    expect(res.status).toBe(408);
    expect(res.ms).toBeLessThan(3500);
  });

  it('answers /healthz while 300 idle connections are open, and closes the idle ones', async () => {
    const idle: Socket[] = [];
    await Promise.all(
      Array.from({ length: 300 }, () => new Promise<void>((resolve) => {
        const s = connect(b.port, '127.0.0.1', () => resolve());
        s.on('error', () => {});
        idle.push(s);
      })),
    );
    const h = await healthz(b.port);
    expect(h.status).toBe(200);
    expect(h.ms).toBeLessThan(500);
    const closed = await Promise.all(idle.map((s) => new Promise<boolean>((resolve) => {
      if (s.destroyed) return resolve(true);
      const t = setTimeout(() => resolve(false), 5000);
      s.on('close', () => { clearTimeout(t); resolve(true); });
    })));
    expect(closed.every(Boolean)).toBe(true);
  });

  it('keeps the worker input out of argv: it arrives on stdin', async () => {
    const res = await rawRequest(b.port, post('/run-codex', JSON.stringify({ prompt: `$(id) ; ${MARK} 'x"` })));
    expect(JSON.parse(res.body).stdout).toBe(`$(id) ; ${MARK} 'x"`);
  });

  it('audit: one line per request, never the body or the token', async () => {
    const text = b.audit.map((r) => JSON.stringify(r)).join('\n');
    expect(b.audit.length).toBeGreaterThanOrEqual(corpus.length);
    expect(text).not.toContain(MARK);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(8, 40));
    for (const r of b.audit) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['time', 'route', 'status', 'reason', 'duration_ms', 'peer', 'bytes_in', 'bytes_out']));
    }
    const ok = b.audit.find((r) => r.status === 200 && r.route === '/run-codex');
    expect(ok?.stdout_sha256_16).toMatch(/^[0-9a-f]{16}$/);
  });
});
