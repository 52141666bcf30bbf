// The gateway client bundle (dist/bridge-client.cjs, run by `npm test`'s bundle step)
// against a real bridge: argv compatible with the original client, the same request
// bytes the original sends, exit codes passed through. Also: requests made exactly the
// way the original client makes them get answers its parser understands.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/run-oss';
import { TOKEN, runProgram, startBridge, type RunningBridge } from './helpers';

const clientBundle = join(repoRoot, 'dist/bridge-client.cjs');

const runClient = (args: string[], env: Record<string, string>) => runProgram(process.execPath, [clientBundle, ...args], { env });

/** the original bridge-client.js request, reproduced option for option (not vendored) */
function originalClientRequest(port: number, endpoint: string, value: string, token: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const FIELD: Record<string, string | null> = { 'run-codex': 'prompt', 'query-readonly': 'query', 'deploy-staging': null };
  const field = FIELD[endpoint];
  const payload = field ? { [field]: value } : {};
  const body = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/' + endpoint,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, Authorization: 'Bearer ' + token },
        timeout: 60000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.write(body);
    req.end();
  });
}

/** first request bytes a client sends to a listening socket */
function captureRequest(send: (port: number) => void): Promise<string> {
  return new Promise((resolve) => {
    const srv = createServer((s) => {
      let data = '';
      s.on('data', (d) => {
        data += d.toString('latin1');
        const end = data.indexOf('\r\n\r\n');
        if (end >= 0) {
          const len = Number(/content-length: (\d+)/i.exec(data)?.[1] ?? 0);
          if (data.length >= end + 4 + len) {
            s.destroy();
            srv.close();
            resolve(data);
          }
        }
      });
    });
    srv.listen(0, '127.0.0.1', () => send((srv.address() as { port: number }).port));
  });
}

describe('gateway client', () => {
  let b: RunningBridge;
  let dir: string;
  let tokenFile: string;
  beforeAll(async () => {
    expect(existsSync(clientBundle), 'run `node scripts/bundle.mjs` first').toBe(true);
    b = await startBridge();
    dir = mkdtempSync(join(tmpdir(), 'oss-client-'));
    tokenFile = join(dir, 'bridge_token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    chmodSync(tokenFile, 0o600);
  });
  afterAll(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ OSS_BRIDGE_URL: `http://127.0.0.1:${b.port}`, OSS_BRIDGE_TOKEN_FILE: tokenFile });

  it('prints the worker output and passes its exit code through', async () => {
    const r = await runClient(['query-readonly', 'select 1'], env());
    expect(r).toEqual({ code: 3, stdout: 'select 1', stderr: 'err\n' });
    const ok = await runClient(['run-codex', 'hello "world" $(id)'], env());
    expect(ok).toEqual({ code: 0, stdout: 'hello "world" $(id)', stderr: '' });
    const deploy = await runClient(['deploy-staging'], env());
    expect(deploy).toEqual({ code: 0, stdout: 'deployed\n', stderr: '' });
  });

  it('falls back to BRIDGE_TOKEN like the original when no token file exists', async () => {
    const r = await runClient(['deploy-staging'], { OSS_BRIDGE_URL: `http://127.0.0.1:${b.port}`, OSS_BRIDGE_TOKEN_FILE: join(dir, 'absent'), BRIDGE_TOKEN: TOKEN });
    expect(r.code).toBe(0);
  });

  it('a wrong token is exit 1 with the bridge error, never the token', async () => {
    const r = await runClient(['deploy-staging'], { OSS_BRIDGE_URL: `http://127.0.0.1:${b.port}`, OSS_BRIDGE_TOKEN_FILE: join(dir, 'absent'), BRIDGE_TOKEN: 'w'.repeat(64) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unauthorized (HTTP 401)');
    expect(r.stderr).not.toContain('w'.repeat(64));
  });

  it('a rejected input is exit 1 with the reason', async () => {
    const r = await runClient(['run-codex', ''], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('prompt is required (HTTP 400)');
  });

  it('an unknown endpoint or a missing token is exit 2; an unreachable bridge exit 1', async () => {
    expect((await runClient(['rm-rf'], env())).code).toBe(2);
    expect((await runClient(['deploy-staging'], { OSS_BRIDGE_URL: `http://127.0.0.1:${b.port}`, OSS_BRIDGE_TOKEN_FILE: join(dir, 'absent') })).code).toBe(2);
    const down = await runClient(['deploy-staging'], { ...env(), OSS_BRIDGE_URL: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('request failed');
  });

  it('sends byte for byte the request the original client sends', async () => {
    for (const [route, value] of [['run-codex', 'write tests'], ['query-readonly', 'select 1'], ['deploy-staging', '']] as const) {
      const ours = await captureRequest((port) => {
        void runClient([route, value], { OSS_BRIDGE_URL: `http://127.0.0.1:${port}`, OSS_BRIDGE_TOKEN_FILE: tokenFile });
      });
      const original = await captureRequest((port) => {
        originalClientRequest(port, route, value, TOKEN).catch(() => {});
      });
      expect(ours.replace(/Host: 127\.0\.0\.1:\d+/, 'Host: H')).toBe(original.replace(/Host: 127\.0\.0\.1:\d+/, 'Host: H'));
      expect(ours).toMatch(/^POST \//);
    }
  });

  it('answers the original client request shape in the shape its parser reads', async () => {
    const q = await originalClientRequest(b.port, 'query-readonly', 'select 42', TOKEN);
    expect(q.status).toBe(200);
    expect(q.json).toMatchObject({ ok: false, exit_code: 3, stdout: 'select 42', stderr: 'err\n' });
    const d = await originalClientRequest(b.port, 'deploy-staging', '', TOKEN);
    expect(d.json).toMatchObject({ ok: true, exit_code: 0, stdout: 'deployed\n' });
    // the original sends {"prompt": ""} when called without a value: an error it prints, exit 1
    const empty = await originalClientRequest(b.port, 'run-codex', '', TOKEN);
    expect(empty.status).toBe(400);
    expect(empty.json).toEqual({ ok: false, error: 'prompt is required' });
    const bad = await originalClientRequest(b.port, 'run-codex', 'x', 'z'.repeat(64));
    expect(bad.json).toEqual({ ok: false, error: 'unauthorized' });
  });
});
