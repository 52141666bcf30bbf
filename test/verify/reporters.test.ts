import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checks } from '../../checks/index';
import { runChecks, type VerifyReport } from '../../src/verify/engine';
import { reportJsonSchema, reportSchema } from '../../src/verify/report-schema';
import { renderHardening } from '../../src/verify/hardening';
import { renderJunit } from '../../src/verify/reporters/junit';
import { buildSarif } from '../../src/verify/reporters/sarif';
import { renderTable } from '../../src/verify/reporters/table';
import { renderJson } from '../../src/verify/reporters/json';
import { painter } from '../../src/ui/output';
import { cleanupStacks, hardenedStack, override, write } from './fixture';
import { repoRoot } from '../helpers/run-oss';

afterAll(cleanupStacks);

let report: VerifyReport;
beforeAll(async () => {
  // a run with every status: fail (1.1 from an override), waived (C.13), skip (live checks), pass
  const d = hardenedStack();
  override(d, 'services:\n  gateway:\n    ports: ["0.0.0.0:8443:18789"]\n    init: false\n');
  write(d, 'oss-waivers.yaml', 'waivers:\n  - id: C.13\n    reason: "tini <not> needed & ok"\n    expires: 2099-01-01\n');
  report = (await runChecks({ dir: d, mode: { static: true, deep: false, redteam: false, local: false }, checks })).report;
  const statuses = new Set(report.results.map((r) => r.status));
  for (const s of ['pass', 'fail', 'skip', 'waived']) expect(statuses.has(s as never), s).toBe(true);
});

test('--json output validates against the versioned schema', () => {
  const parsed = JSON.parse(renderJson(report));
  const res = reportSchema.safeParse(parsed);
  expect(res.success, JSON.stringify(res.error?.issues.slice(0, 3))).toBe(true);
  expect(parsed.schemaVersion).toBe(1);
  // the schema rejects what it should
  expect(reportSchema.safeParse({ ...parsed, schemaVersion: 2 }).success).toBe(false);
  expect(reportSchema.safeParse({ ...parsed, results: [{ ...parsed.results[0], status: 'ok' }] }).success).toBe(false);
});

test('committed docs/verify-report.schema.json and HARDENING.md are current (npm run gen:hardening)', () => {
  const schema = JSON.parse(readFileSync(`${repoRoot}docs/verify-report.schema.json`, 'utf8'));
  expect(schema).toEqual(reportJsonSchema());
  expect(readFileSync(`${repoRoot}HARDENING.md`, 'utf8'), 'HARDENING.md is stale: run npm run gen:hardening').toBe(renderHardening(checks));
});

test('HARDENING.md covers every check with rationale and fix', () => {
  const md = renderHardening(checks);
  for (const c of checks) {
    expect(md).toContain(`### ${c.id} ${c.title}`);
  }
  expect(md).toContain('**How oss verifies:**');
});

describe('JUnit', () => {
  test('parses back with one suite per control and the right counts', () => {
    const xml = renderJunit(report);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = [doc.testsuites.testsuite].flat();
    expect(Number(doc.testsuites.tests)).toBe(report.results.length);
    expect(Number(doc.testsuites.failures)).toBe(report.summary.fail);
    expect(Number(doc.testsuites.skipped)).toBe(report.summary.skip + report.summary.waived);
    expect(suites.length).toBe(new Set(report.results.map((r) => r.control)).size);
    const cases = suites.flatMap((s: any) => [s.testcase].flat());
    expect(cases.length).toBe(report.results.length);
    const c11 = cases.find((c: any) => c.name.startsWith('1.1 '));
    expect(c11.failure.message).toMatch(/all interfaces|0\.0\.0\.0/);
    expect(c11.failure['#text']).toContain('docker-compose.override.yml:3');
    const waived = cases.find((c: any) => c.name.startsWith('C.13 '));
    expect(waived.skipped.message).toBe('waived until 2099-01-01: tini <not> needed & ok');
  });
});

describe('SARIF 2.1.0', () => {
  test('has the required structure, one rule per check, file locations for static findings', () => {
    const sarif = JSON.parse(JSON.stringify(buildSarif(report, checks)));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('oss');
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(checks.map((c) => c.id));
    for (const r of run.tool.driver.rules) {
      expect(r.shortDescription.text).toBeTruthy();
      expect(['note', 'warning', 'error']).toContain(r.defaultConfiguration.level);
    }
    const r11 = run.results.filter((r: any) => r.ruleId === '1.1');
    expect(r11.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['note', 'warning', 'error']).toContain(r.level);
      expect(typeof r.message.text).toBe('string');
    }
    const loc = r11[0].locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: 'docker-compose.override.yml', uriBaseId: 'STACKDIR' });
    expect(loc.region.startLine).toBe(3);
    expect(run.originalUriBaseIds.STACKDIR.uri).toMatch(/^file:\/\/.*\/$/);
    expect(r11[0].partialFingerprints['ossFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    const waived = run.results.find((r: any) => r.ruleId === 'C.13');
    expect(waived.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
  });
});

describe('table', () => {
  test('grouped by control, evidence and fix under failures, no colour when disabled', () => {
    const text = renderTable(report, painter(false));
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toMatch(/^Control 1: gateway published on loopback only$/m);
    expect(text).toMatch(/^Compose: container hardening \(compose\)$/m);
    expect(text).toMatch(/FAIL {2}1\.1 /);
    expect(text).toMatch(/WAIV {2}C\.13 /);
    expect(text).toContain('fix: Publish as');
    expect(text).toMatch(/^FAILED: \d+ passed, \d+ failed/m);
  });
  test('colour only when enabled', () => {
    expect(renderTable(report, painter(true))).toMatch(/\u001b\[31mFAIL/);
  });
});
