import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { defineCheck, fail, pass, type CheckDefinition } from '../../src/verify/check';
import { needBlocked, runChecks, selectChecks } from '../../src/verify/engine';
import { providerFactory, ProviderUnavailable, registerProvider, unregisterProvider } from '../../src/verify/providers';
import { OssError } from '../../src/errors';
import { cleanupStacks, hardenedStack, secretValue, write } from './fixture';

afterAll(cleanupStacks);

const staticMode = { static: true, deep: false, redteam: false, local: false };
const liveMode = { static: false, deep: false, redteam: false, local: false };

const ok = defineCheck({ id: '1.1', control: 1, title: 'ok', severity: 'high', needs: ['files'], rationale: 'r', remediation: 'fix', run: () => pass() });
const bad = (id = 'C.1', severity: CheckDefinition['severity'] = 'low') =>
  defineCheck({ id, control: id.startsWith('C') ? 'C' : 1, title: 'bad', severity, needs: ['files'], rationale: 'r', remediation: 'fix', run: () => fail({ file: 'x', message: 'broken' }) });
const live = defineCheck({
  id: '1.31',
  control: 1,
  title: 'live',
  severity: 'high',
  needs: ['network'],
  rationale: 'r',
  remediation: 'fix',
  run: async (ctx) => ((await ctx.live.network!()) === 'view-ok' ? pass() : fail({ message: 'no view' })),
});

const saved = providerFactory('network');
afterEach(() => {
  if (saved) registerProvider('network', saved);
  else unregisterProvider('network');
});

async function expectOssError(p: Promise<unknown>, re: RegExp): Promise<OssError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OssError);
  expect((err as OssError).exitCode).toBe(2);
  expect((err as OssError).message).toMatch(re);
  return err as OssError;
}

describe('modes and providers', () => {
  test('a live check is skipped, never passed, in --static', async () => {
    const { report } = await runChecks({ dir: hardenedStack(), mode: staticMode, checks: [ok, live] });
    const r = report.results.find((x) => x.id === '1.31')!;
    expect(r.status).toBe('skip');
    expect(r.reason).toMatch(/--static reads files only/);
    expect(report.exitCode).toBe(0);
  });

  test('no provider registered => skipped with the reason', async () => {
    unregisterProvider('network');
    const { report } = await runChecks({ dir: hardenedStack(), mode: liveMode, checks: [live] });
    expect(report.results[0]).toMatchObject({ status: 'skip', reason: 'no network provider is installed in this build' });
  });

  test('an unavailable provider => skipped with its reason; created once per run', async () => {
    let calls = 0;
    registerProvider('network', async () => {
      calls++;
      throw new ProviderUnavailable('Docker engine not reachable at /var/run/docker.sock');
    });
    const live2 = { ...live, id: '1.32' };
    const { report } = await runChecks({ dir: hardenedStack(), mode: liveMode, checks: [live, live2] });
    expect(report.results.map((r) => r.status)).toEqual(['skip', 'skip']);
    expect(report.results[0]!.reason).toBe('network unavailable: Docker engine not reachable at /var/run/docker.sock');
    expect(calls).toBe(1);
  });

  test('an available provider hands its view to the check', async () => {
    registerProvider('network', async (ctx) => (ctx.mode.static ? 'wrong' : 'view-ok'));
    const { report } = await runChecks({ dir: hardenedStack(), mode: liveMode, checks: [live] });
    expect(report.results[0]!.status).toBe('pass');
  });

  test('a crashing provider => error, which fails the run', async () => {
    registerProvider('network', async () => {
      throw new Error('boom');
    });
    const { report } = await runChecks({ dir: hardenedStack(), mode: liveMode, checks: [live] });
    expect(report.results[0]).toMatchObject({ status: 'error', failsRun: true });
    expect(report.exitCode).toBe(1);
  });

  test('needs gating table', () => {
    expect(needBlocked('files', staticMode)).toBeNull();
    expect(needBlocked('docker', staticMode)).toMatch(/static/);
    expect(needBlocked('docker', liveMode)).toBeNull();
    expect(needBlocked('openclaw', liveMode)).toMatch(/--deep/);
    expect(needBlocked('openclaw', { ...liveMode, deep: true })).toBeNull();
    expect(needBlocked('openclaw', { ...liveMode, local: true })).toBeNull();
    expect(needBlocked('redteam', { ...liveMode, deep: true })).toMatch(/--redteam/);
  });
});

describe('outcomes and exit codes', () => {
  test('a crashing check is an error with its message, and exits 1 whatever its severity', async () => {
    const crash = defineCheck({ ...ok, id: '1.2', severity: 'low', run: () => { throw new TypeError('x is undefined'); } });
    const { report } = await runChecks({ dir: hardenedStack(), mode: staticMode, checks: [crash], failOn: 'critical' });
    expect(report.results[0]).toMatchObject({ status: 'error', reason: 'check crashed: x is undefined', failsRun: true });
    expect(report.exitCode).toBe(1);
  });

  test('--fail-on: a failure below the threshold is reported but exits 0', async () => {
    const { report } = await runChecks({ dir: hardenedStack(), mode: staticMode, checks: [ok, bad('C.1', 'medium')], failOn: 'high' });
    expect(report.results[1]).toMatchObject({ status: 'fail', failsRun: false });
    expect(report.exitCode).toBe(0);
    const again = await runChecks({ dir: hardenedStack(), mode: staticMode, checks: [ok, bad('C.1', 'medium')], failOn: 'medium' });
    expect(again.report.exitCode).toBe(1);
  });

  test('a broken compose file errors the compose checks with file and line', async () => {
    const { checks } = await import('../../checks/index');
    const d = hardenedStack();
    write(d, 'docker-compose.yml', 'services:\n  gateway:\n    ports: [\n');
    const { report } = await runChecks({ dir: d, mode: staticMode, checks, only: ['1.1'] });
    expect(report.results[0]!.status).toBe('error');
    expect(report.results[0]!.evidence[0]).toMatchObject({ file: 'docker-compose.yml' });
    expect(report.results[0]!.evidence[0]!.line).toBeGreaterThan(0);
    expect(report.exitCode).toBe(1);
  });

  test('--only/--skip by id or control; unknown selectors are bad input', async () => {
    const all = [ok, bad('C.1'), bad('C.2')];
    expect(selectChecks(all, ['c']).map((c) => c.id)).toEqual(['C.1', 'C.2']);
    expect(selectChecks(all, ['1', 'C.2']).map((c) => c.id)).toEqual(['1.1', 'C.2']);
    expect(selectChecks(all, [], ['C']).map((c) => c.id)).toEqual(['1.1']);
    expect(() => selectChecks(all, ['C.99'])).toThrow(/unknown check id or control "C.99"/);
  });
});

describe('could not run => exit 2, nothing checked', () => {
  test('missing dir', async () => {
    await expectOssError(runChecks({ dir: '/nonexistent/oss-stack', mode: staticMode, checks: [ok] }), /does not exist/);
  });
  test('a dir that is not a stack', async () => {
    const d = join(hardenedStack(), 'bridge');
    await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok] }), /not an oss stack directory/);
  });
  test('a path through a file', async () => {
    const d = join(hardenedStack(), 'oss.yaml', 'x');
    await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok] }), /cannot read stack directory|does not exist/);
  });
  test('a settings error quoting a secret value is scrubbed', async () => {
    const d = hardenedStack();
    const token = secretValue(d, 'gateway_token');
    write(d, 'oss.yaml', `workspace: "${token}"\n`);
    const err = await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok] }), /workspace/);
    expect(err.message).not.toContain(token.slice(0, 20));
  });
  test('broken settings name the key', async () => {
    const d = hardenedStack();
    write(d, 'oss.yaml', 'gateway:\n  port: "eighty"\n');
    await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok] }), /gateway\.port/);
  });
});

describe('waivers', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const withWaivers = (yaml: string) => {
    const d = hardenedStack();
    write(d, 'oss-waivers.yaml', yaml);
    return d;
  };
  test('a waived failure shows as waived and exits 0', async () => {
    const d = withWaivers('waivers:\n  - id: C.1\n    reason: accepted until the next release\n    expires: 2026-11-25\n');
    const { report } = await runChecks({ dir: d, mode: staticMode, checks: [ok, bad('C.1')], now });
    expect(report.results[1]).toMatchObject({ status: 'waived', failsRun: false, waiver: { reason: 'accepted until the next release', expires: '2026-11-25', expired: false } });
    expect(report.summary.waived).toBe(1);
    expect(report.exitCode).toBe(0);
  });
  test('an expired waiver fails its check, even a passing one', async () => {
    const d = withWaivers('- id: C.1\n  reason: temporary\n  expires: 2026-11-24\n- id: 1.1\n  reason: old\n  expires: "2026-01-01"\n');
    const { report } = await runChecks({ dir: d, mode: staticMode, checks: [ok, bad('C.1')], now });
    expect(report.results.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(report.results[1]!.evidence[0]).toMatchObject({ file: 'oss-waivers.yaml', message: 'the waiver for C.1 expired on 2026-11-24' });
    expect(report.exitCode).toBe(1);
  });
  test('a waiver for an unknown id is bad input', async () => {
    const d = withWaivers('waivers:\n  - id: 1.99\n    reason: typo\n    expires: 2027-01-01\n');
    await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok], now }), /unknown check id "1.99"/);
  });
  test('a waiver without a valid date is bad input', async () => {
    const d = withWaivers('waivers:\n  - id: 1.1\n    reason: no date\n    expires: next week\n');
    await expectOssError(runChecks({ dir: d, mode: staticMode, checks: [ok], now }), /expires must be a date/);
  });
});

test('safety net: a secret value a check leaks into evidence never reaches the report', async () => {
  const d = hardenedStack();
  const token = secretValue(d, 'bridge_token');
  const leaky = defineCheck({ ...ok, id: '1.3', run: () => fail({ message: `token is ${token}`, found: JSON.stringify({ t: token }) }) });
  const { report, redact } = await runChecks({ dir: d, mode: staticMode, checks: [leaky] });
  expect(JSON.stringify(report)).not.toContain(token);
  expect(report.results[0]!.evidence[0]!.message).toBe('token is [REDACTED]');
  expect(redact(`x${token}y`)).toBe('x[REDACTED]y');
  mkdirSync; writeFileSync; // (imports kept for fixture edits)
});

test('redactor: exact, JSON-escaped and truncated copies of a secret are scrubbed; short values are left alone', async () => {
  const { makeRedactor } = await import('../../src/verify/redact');
  const secret = 'f3a9c1d2e4b5a6978877665544332211aabbccddeeff00112233445566778899';
  const r = makeRedactor([secret, 'ab"c\\defghij', 'short']);
  expect(r(`token=${secret};`)).toBe('token=[REDACTED];');
  expect(r(`"${'ab\\"c\\\\defghij'}"`)).toBe('"[REDACTED]"');
  expect(r(`value "${secret.slice(0, 40)}..."`)).toBe('value "[REDACTED]..."');
  expect(r(`tail ${secret.slice(30)}`)).toBe('tail [REDACTED]');
  expect(r('a short value stays')).toBe('a short value stays');
});
