// `oss verify` as a user runs it (bundle or single binary via OSS_BIN).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, test } from 'vitest';
import { runOss } from '../helpers/run-oss';
import { reportSchema } from '../../src/verify/report-schema';
import { staticIds } from '../checks/harness';
import { cleanupStacks, editOpenclaw, hardenedStack, override, secretValue, write } from './fixture';

afterAll(cleanupStacks);
const only = ['--only', staticIds().join(',')];
const out = () => mkdtempSync(join(tmpdir(), 'oss-verify-out-'));

describe('exit 0 on the hardened render', () => {
  test('table, every static check passes', async () => {
    const d = hardenedStack();
    const r = await runOss(['verify', '--dir', d, '--static', ...only]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: (\d+) passed, 0 failed, 0 errors, 0 waived, 0 skipped \(\1 checks/m);
    expect(Number(/^OK: (\d+)/m.exec(r.stdout)![1])).toBeGreaterThanOrEqual(44);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR / not a TTY
  });
  test('on a real `oss init` render (the CLI, not the in-process fixture)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'oss-verify-init-'));
    try {
      const init = await runOss(['init', '--dir', join(root, 'stack'), '--telegram-id', '123456789']);
      expect(init.code, init.stderr).toBe(0);
      const r = await runOss(['verify', '--dir', join(root, 'stack'), '--static', '--json', ...only]);
      const report = reportSchema.parse(JSON.parse(r.stdout));
      expect(report.results.filter((x) => x.status !== 'pass').map((x) => `${x.id}: ${JSON.stringify(x.evidence)}`)).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  test('--quiet prints nothing (cron)', async () => {
    const r = await runOss(['verify', '--dir', hardenedStack(), '--static', '--quiet', ...only]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('exit 1 on a mutation, whatever the output format', () => {
  const leaky = () => {
    const d = hardenedStack();
    override(d, 'services:\n  gateway:\n    ports: ["8080:18789"]\n');
    // a plaintext copy of a secret: the finding must name file and secret, never the value
    editOpenclaw(d, (o) => (o.gateway.auth.token = secretValue(d, 'gateway_token')));
    return d;
  };

  test('table, --json, --quiet, --junit and --sarif agree on exit 1 and never print the secret', async () => {
    const d = leaky();
    const token = secretValue(d, 'gateway_token');
    const o = out();
    const runs = await Promise.all([
      runOss(['verify', '--dir', d, '--static', ...only]),
      runOss(['verify', '--dir', d, '--static', '--json', ...only]),
      runOss(['verify', '--dir', d, '--static', '--quiet', '--junit', join(o, 'v.xml'), '--sarif', join(o, 'v.sarif'), ...only]),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(token);
    }
    const [table, json, quiet] = runs as [typeof runs[0], typeof runs[0], typeof runs[0]];
    expect(table.stdout).toMatch(/FAIL {2}1\.1 /);
    expect(table.stdout).toMatch(/FAIL {2}S\.3 /);
    expect(table.stdout).toContain('gateway/config/openclaw.json contains the plaintext secret gateway_token');
    const report = reportSchema.parse(JSON.parse(json.stdout));
    expect(report.exitCode).toBe(1);
    expect(report.results.find((x) => x.id === '1.1')!.evidence[0]).toMatchObject({ file: 'docker-compose.override.yml', line: 3 });
    // --quiet on failure prints only what failed
    expect(quiet.stdout).toMatch(/FAIL {2}1\.1 /);
    expect(quiet.stdout).not.toMatch(/PASS/);
    const xml = readFileSync(join(o, 'v.xml'), 'utf8');
    const sarif = readFileSync(join(o, 'v.sarif'), 'utf8');
    expect(xml + sarif).not.toContain(token);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(Number(junit.testsuites.failures)).toBeGreaterThanOrEqual(2);
    const s = JSON.parse(sarif);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].results.some((x: any) => x.ruleId === '1.1' && x.locations[0].physicalLocation.region.startLine === 3)).toBe(true);
  });

  test('--fail-on critical ignores a high finding; --skip drops a check', async () => {
    const d = hardenedStack();
    override(d, 'services:\n  gateway:\n    cap_add: [NET_ADMIN]\n'); // C.2 is high
    expect((await runOss(['verify', '--dir', d, '--static', ...only])).code).toBe(1);
    expect((await runOss(['verify', '--dir', d, '--static', '--fail-on', 'critical', ...only])).code).toBe(0);
    const skipped = await runOss(['verify', '--dir', d, '--static', '--only', 'C', '--skip', 'C.2']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toContain('C.2 ');
  });

  test('a waiver turns the failure into waived (exit 0); an expired one fails', async () => {
    const d = hardenedStack();
    override(d, 'services:\n  gateway:\n    cap_add: [NET_ADMIN]\n');
    write(d, 'oss-waivers.yaml', 'waivers:\n  - id: C.2\n    reason: needed for the VPN sidecar (OPS-42)\n    expires: 2099-12-31\n');
    const ok = await runOss(['verify', '--dir', d, '--static', ...only]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/WAIV {2}C\.2 /);
    expect(ok.stdout).toContain('waiver: needed for the VPN sidecar (OPS-42) (expires 2099-12-31)');
    write(d, 'oss-waivers.yaml', 'waivers:\n  - id: C.2\n    reason: needed for the VPN sidecar (OPS-42)\n    expires: 2020-01-01\n');
    const expired = await runOss(['verify', '--dir', d, '--static', ...only]);
    expect(expired.code).toBe(1);
    expect(expired.stdout).toContain('the waiver for C.2 expired on 2020-01-01');
  });
});

describe('exit 2: could not run, with a clear message and nothing written', () => {
  const cases: [string, (d: string) => string[], RegExp][] = [
    ['missing dir', () => ['--dir', '/nonexistent/oss-stack'], /stack directory \/nonexistent\/oss-stack does not exist/],
    ['broken settings', (d) => (writeFileSync(join(d, 'oss.yaml'), 'gateway: { port: 99999 }\n'), ['--dir', d]), /gateway\.port: 99999 is not allowed/],
    ['settings not YAML', (d) => (writeFileSync(join(d, 'oss.yaml'), 'a: [\n'), ['--dir', d]), /not valid YAML/],
    ['unreadable dir (a path through a file)', (d) => ['--dir', join(d, 'oss.yaml', 'sub')], /cannot read stack directory|does not exist/],
    ['unknown --only id', (d) => ['--dir', d, '--only', '1.99'], /unknown check id or control "1.99"/],
    ['bad --fail-on', (d) => ['--dir', d, '--fail-on', 'severe'], /--fail-on must be one of low, medium, high, critical/],
    ['waiver for an unknown id', (d) => (write(d, 'oss-waivers.yaml', '- id: Z.1\n  reason: x y z\n  expires: 2099-01-01\n'), ['--dir', d]), /unknown check id "Z.1"/],
    ['--junit into a missing dir', (d) => ['--dir', d, '--junit', '/nonexistent/dir/v.xml'], /--junit \/nonexistent\/dir\/v.xml: cannot write/],
  ];
  test.each(cases)('%s', async (_n, args, re) => {
    const r = await runOss(['verify', '--static', ...args(hardenedStack())]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stdout).toBe('');
  });
});

test('--help shows the examples', async () => {
  const r = await runOss(['verify', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('oss verify --quiet --junit verify.xml --sarif verify.sarif');
});
