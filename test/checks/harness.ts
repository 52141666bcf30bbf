// Drives checks the way ESLint's RuleTester drives rules: the hardened render must pass,
// each mutation must fail with the named check id and evidence that points at the cause.
import { expect } from 'vitest';
import { checks } from '../../checks/index';
import { runChecks, type CheckResult, type VerifyReport } from '../../src/verify/engine';
import type { Evidence } from '../../src/verify/check';
import { hardenedStack } from '../verify/fixture';

export const staticMode = { static: true, deep: false, redteam: false, local: false };

export async function verifyStatic(dir: string, only?: string[]): Promise<VerifyReport> {
  return (await runChecks({ dir, mode: staticMode, checks, only })).report;
}

export const isStaticId = (id: string) => Number(id.split('.')[1]) < 20;

/** every static check passes on the dir, and the run exits 0 */
export const staticIds = () => checks.filter((c) => isStaticId(c.id)).map((c) => c.id);

export async function expectAllPass(dir: string): Promise<VerifyReport> {
  // live checks (ids .2x/.3x) may need `oss harden` or a running stack; these are the file checks
  const report = await verifyStatic(dir, staticIds());
  expect(report.exitCode).toBe(0);
  const bad = report.results.filter((r) => isStaticId(r.id) && r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.reason ?? ''} ${JSON.stringify(r.evidence)}`);
  expect(bad).toEqual([]);
  return report;
}

export interface Mutation {
  /** what is changed, in words */
  name: string;
  mutate(dir: string): void;
  /** evidence that must be present in the failing result */
  evidence: Omit<Partial<Evidence>, 'message' | 'line'> & { message?: string | RegExp; line?: number | 'any' };
  /** other checks that may also fail (the mutation breaks more than one rule) */
  alsoFails?: string[];
}

export async function expectCaught(id: string, m: Mutation): Promise<CheckResult> {
  const dir = hardenedStack();
  m.mutate(dir);
  const report = await verifyStatic(dir, staticIds());
  const r = report.results.find((x) => x.id === id)!;
  expect(r, `check ${id} ran`).toBeDefined();
  expect(r.status, `${id} on "${m.name}": ${JSON.stringify(r.evidence)} ${r.reason ?? ''}`).toBe('fail');
  expect(report.exitCode).toBe(1);
  const { message, line, ...rest } = m.evidence;
  const match = r.evidence.find((e) => {
    if (message instanceof RegExp ? !message.test(e.message) : message !== undefined && !e.message.includes(message)) return false;
    if (line === 'any' ? e.line === undefined : line !== undefined && e.line !== line) return false;
    return Object.entries(rest).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v);
  });
  expect(match, `${id} evidence for "${m.name}" in ${JSON.stringify(r.evidence, null, 1)}`).toBeDefined();
  // nothing but the expected checks fails (among the static X.1-X.19 checks)
  const others = report.results.filter((x) => x.status === 'fail' && isStaticId(x.id) && x.id !== id && !(m.alsoFails ?? []).includes(x.id)).map((x) => `${x.id}: ${x.evidence.map((e) => e.message).join('; ')}`);
  expect(others, `unexpected failures for "${m.name}"`).toEqual([]);
  return r;
}
