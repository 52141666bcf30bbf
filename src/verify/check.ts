// What a check is. One module per verification under checks/<control>/; the engine
// (src/verify/engine.ts) runs them. A check that cannot be evaluated is skipped with a
// reason, never passed.
import type { Settings } from '../stack/settings';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const severities: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** what a check needs to run: files only (static), a Docker engine, the openclaw CLI/state, network probes */
export type Need = 'files' | 'docker' | 'openclaw' | 'network' | 'redteam';

/** control number 1-10 of the checklist, or "C" for compose-level properties, "S" for secrets */
export type Control = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 'C' | 'S';

export interface Evidence {
  /** file relative to the stack dir */
  file?: string;
  /** key path inside the file, e.g. services.gateway.ports[0] */
  path?: string;
  line?: number;
  /** never a secret value: name the file and key instead */
  found?: string;
  expected?: string;
  message: string;
}

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error' | 'waived';

export interface CheckOutcome {
  status: Exclude<CheckStatus, 'waived'>;
  evidence: Evidence[];
  /** for skip and error */
  reason?: string;
}

export const pass = (...evidence: Evidence[]): CheckOutcome => ({ status: 'pass', evidence });
export const fail = (...evidence: Evidence[]): CheckOutcome => ({ status: 'fail', evidence });
export const skip = (reason: string): CheckOutcome => ({ status: 'skip', evidence: [], reason });
/** fail when there are findings, pass otherwise */
export const verdict = (findings: Evidence[], passNote?: string): CheckOutcome =>
  findings.length > 0 ? fail(...findings) : pass(...(passNote ? [{ message: passNote }] : []));

export interface CheckContext {
  dir: string;
  settings: Settings;
  /** lazily parsed stack files (see src/verify/stack-files.ts) */
  files: import('./stack-files').StackFiles;
  /** live views, present only when the mode allows them (see src/verify/engine.ts) */
  live: LiveViews;
}

/** live data providers; each is created once per run and shared by all checks */
export interface LiveViews {
  docker?: () => Promise<unknown>;
  openclaw?: () => Promise<unknown>;
  [name: string]: (() => Promise<unknown>) | undefined;
}

export interface CheckDefinition {
  /** stable id: "<control>.<n>", e.g. "1.1", "10.4", "C.3" */
  id: string;
  control: Control;
  title: string;
  severity: Severity;
  needs: Need[];
  rationale: string;
  /** the exact change or oss command that fixes it */
  remediation: string;
  run(ctx: CheckContext): CheckOutcome | Promise<CheckOutcome>;
}

export function defineCheck(def: CheckDefinition): CheckDefinition {
  if (!/^(?:[1-9]|10|C|S)\.[0-9]+$/.test(def.id)) throw new Error(`bad check id ${def.id}`);
  if (!String(def.id).startsWith(`${def.control}.`)) throw new Error(`check ${def.id} is not in control ${def.control}`);
  return def;
}
