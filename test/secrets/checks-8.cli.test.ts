// Control 8 checks against a real rendered stack: an interrupted rotation (a real SIGKILL
// mid-run) fails 8.1 until the next run repairs it; weak or shared tokens fail 8.2; a
// consumer older than its secret file fails 8.31.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import c81 from '../../checks/8/8.1-no-unfinished-rotation';
import c831 from '../../checks/8/8.31-consumers-restarted-after-rotation';
import { expectAllPass, expectCaught, verifyStatic } from '../checks/harness';
import { cleanupStacks, hardenedStack, read, write } from '../verify/fixture';
import { runOss } from '../helpers/run-oss';
import { openStackFiles } from '../../src/verify/stack-files';
import { defaultSettings } from '../../src/stack/settings';
import type { CheckContext } from '../../src/verify/check';
import { restartOrder, services, type ServiceKey } from '../../src/stack/model';

afterAll(cleanupStacks);

const result = async (dir: string, id: string) => (await verifyStatic(dir, [id])).results.find((r) => r.id === id)!;

describe('8.1 no unfinished rotation', () => {
  it('fails after a rotation is killed past its commit point, passes once the next run completes it', async () => {
    const dir = hardenedStack();
    expect((await result(dir, '8.1')).status).toBe('pass');
    const crashed = await runOss(['rotate-secrets', '--dir', dir, '--no-restart'], { env: { OSS_TEST_FAULTS: '1', OSS_FAULT_INJECT: 'committed:bridge_token' } });
    expect(crashed.code).toBe(128);
    const r = await result(dir, '8.1');
    expect(r.status).toBe('fail');
    const found = r.evidence.map((e) => `${e.file}: ${e.found}`);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^\.oss\/rotation\.json: phase committing/), 'secrets/.staged: present', '.oss/rotation.lock: left by a process that is gone']));
    const rerun = await runOss(['rotate-secrets', '--dir', dir, '--no-restart']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await result(dir, '8.1')).status).toBe('pass');
  });

  it('reports a lock held by a live process as a running rotation', async () => {
    const dir = hardenedStack();
    write(dir, '.oss/rotation.lock', String(process.pid));
    const ctx = { dir, settings: defaultSettings(), files: openStackFiles(dir), live: {} } as CheckContext;
    const out = await c81.run(ctx);
    expect(out.status).toBe('fail');
    expect(out.evidence[0]!.found).toBe(`held by running pid ${process.pid}`);
  });
});

describe('8.2 generated tokens', () => {
  it('passes on a fresh init and after a rotation', async () => {
    const dir = hardenedStack();
    await expectAllPass(dir);
    expect((await runOss(['rotate-secrets', '--dir', dir, '--no-restart'])).code).toBe(0);
    expect((await result(dir, '8.2')).status).toBe('pass');
  });
  it.each([
    ['a short bridge token', (d: string) => write(d, 'secrets/bridge_token', 'abc123'), { file: 'secrets/bridge_token', found: '6 characters of hex' }],
    ['the same token for bridge and gateway', (d: string) => write(d, 'secrets/gateway_token', read(d, 'secrets/bridge_token')), { file: 'secrets/bridge_token', found: 'same value as secrets/gateway_token' }],
    ['the gateway token reused as an API key', (d: string) => write(d, 'secrets/openai_api_key', read(d, 'secrets/gateway_token')), { file: 'secrets/gateway_token', found: 'same value as secrets/openai_api_key' }],
    ['an empty gateway token', (d: string) => write(d, 'secrets/gateway_token', ''), { file: 'secrets/gateway_token', found: 'empty' }],
  ] as const)('fails on %s, never quoting the value', async (name, mutate, evidence) => {
    const r = await expectCaught('8.2', { name, mutate, evidence, alsoFails: ['S.1', 'S.3'] });
    const dir = hardenedStack();
    const token = read(dir, 'secrets/bridge_token');
    expect(JSON.stringify(r.evidence)).not.toContain(token);
  });
});

/** a docker view with every consumer running since `startedAt` */
function liveView(startedAt: Date, running = true) {
  const container = (key: ServiceKey) => ({ Name: `/${services[key].containerName}`, State: { Status: running ? 'running' : 'exited', Running: running, StartedAt: startedAt.toISOString() } });
  return { docker: async () => ({ container }) };
}

describe('8.31 consumers restarted after their secrets changed', () => {
  const ctxFor = (dir: string, live: CheckContext['live']) => ({ dir, settings: defaultSettings(), files: openStackFiles(dir), live }) as CheckContext;

  it('passes when every consumer started after its files changed', async () => {
    const dir = hardenedStack();
    const out = await c831.run(ctxFor(dir, liveView(new Date(Date.now() + 5000))));
    expect(out.status, JSON.stringify(out.evidence)).toBe('pass');
  });

  it('fails for exactly the consumers of a file replaced after they started (rotate --no-restart)', async () => {
    const dir = hardenedStack();
    const start = new Date(Date.now() - 60_000);
    for (const f of ['bridge_token', 'gateway_token', 'openai_api_key', 'codex_api_key', 'telegram_bot_token', 'db_dsn']) utimesSync(join(dir, 'secrets', f), start.getTime() / 1000 - 60, start.getTime() / 1000 - 60);
    expect((await runOss(['rotate-secrets', '--dir', dir, '--no-restart', '--only', 'bridge_token'])).code).toBe(0);
    const out = await c831.run(ctxFor(dir, liveView(start)));
    expect(out.status).toBe('fail');
    expect(out.evidence.map((e) => e.message).sort()).toEqual(['openclaw-bridge still runs with the previous bridge_token', 'openclaw-gateway still runs with the previous bridge_token']);
  });

  it('fails when a consumer is not running', async () => {
    const dir = hardenedStack();
    const out = await c831.run(ctxFor(dir, liveView(new Date(), false)));
    expect(out.status).toBe('fail');
    expect(out.evidence.length).toBe(restartOrder.filter((k) => services[k].secrets.length > 0).length);
  });
});
