// The verify engine: select checks, decide what the mode allows, build live views on
// demand, run each check (a throw becomes `error`), apply waivers, scrub secrets, and
// compute the exit code. Reporters only format the report; they never change the code.
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { OssError, ExitCode } from '../errors';
import { COMPOSE_FILE, SETTINGS_FILE, WAIVERS_FILE } from '../stack/model';
import { loadSettings } from '../stack/settings';
import { severities, type CheckContext, type CheckDefinition, type CheckOutcome, type CheckStatus, type Evidence, type LiveViews, type Need, type Severity } from './check';
import { providerFactory, ProviderUnavailable, type ProviderContext, type VerifyMode } from './providers';
import { makeRedactor } from './redact';
import { openStackFiles, StackFileError } from './stack-files';
import { parseWaivers, waiverExpired, type Waiver } from './waivers';

declare const __OSS_VERSION__: string;
export const ossVersion: string = typeof __OSS_VERSION__ === 'string' ? __OSS_VERSION__ : '0.0.0-dev';

export const REPORT_SCHEMA_VERSION = 1 as const;

export interface CheckResult {
  id: string;
  control: string;
  title: string;
  severity: Severity;
  needs: Need[];
  status: CheckStatus;
  /** why a check was skipped or errored */
  reason?: string;
  evidence: Evidence[];
  remediation: string;
  waiver?: { reason: string; expires: string; expired: boolean };
  /** true when this result makes the run exit 1 */
  failsRun: boolean;
  durationMs: number;
}

export interface VerifyReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'oss'; version: string };
  dir: string;
  mode: { static: boolean; deep: boolean; redteam: boolean; local: boolean };
  failOn: Severity;
  startedAt: string;
  durationMs: number;
  exitCode: 0 | 1;
  summary: { total: number; pass: number; fail: number; skip: number; error: number; waived: number };
  results: CheckResult[];
}

export interface RunOptions {
  dir: string;
  mode: VerifyMode;
  checks: readonly CheckDefinition[];
  /** ids ("1.1") or controls ("1", "C") */
  only?: string[];
  skip?: string[];
  failOn?: Severity;
  now?: Date;
}

export interface RunOutput {
  report: VerifyReport;
  /** scrubs every secret value of the stack from a string (apply to every output) */
  redact: (s: string) => string;
}

/** why a need cannot be met in this mode, or null */
export function needBlocked(need: Need, mode: VerifyMode): string | null {
  if (need === 'files') return null;
  if (mode.static) return `needs ${need}; --static reads files only`;
  if (need === 'openclaw' && !mode.deep && !mode.local) return 'needs the openclaw CLI; run with --deep (or --local)';
  if (need === 'redteam' && !mode.redteam) return 'needs real agent turns; run with --redteam';
  return null;
}

export function selectChecks(checks: readonly CheckDefinition[], only: string[] = [], skip: string[] = []): CheckDefinition[] {
  const ids = new Set(checks.map((c) => c.id));
  const controls = new Set(checks.map((c) => String(c.control)));
  const norm = (s: string) => s.trim().toUpperCase();
  for (const sel of [...only, ...skip]) {
    const s = norm(sel);
    if (!ids.has(s) && !controls.has(s)) {
      throw new OssError(`unknown check id or control "${sel}" in --only/--skip`, {
        hint: `use an id such as 1.1 or C.3, or a control such as 1, 10, C or S (known controls: ${[...controls].join(', ')})`,
      });
    }
  }
  const matches = (c: CheckDefinition, sels: string[]) => sels.some((sel) => norm(sel) === c.id || norm(sel) === String(c.control));
  return checks.filter((c) => (only.length === 0 || matches(c, only)) && !matches(c, skip));
}

function assertStackDir(dir: string): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new OssError(`${dir} is not a directory`, { hint: 'pass the stack directory with --dir' });
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof OssError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OssError(`stack directory ${dir} does not exist`, { hint: 'run `oss init --dir <dir>` first, or pass the right --dir' });
    throw new OssError(`cannot read stack directory ${dir}: ${(err as Error).message}`, { hint: 'check its permissions (run as root or as the stack owner)' });
  }
  if (!entries.includes(COMPOSE_FILE) && !entries.includes(SETTINGS_FILE)) {
    throw new OssError(`${dir} is not an oss stack directory (no ${COMPOSE_FILE} or ${SETTINGS_FILE})`, {
      hint: 'run `oss init --dir <dir>` first, or pass the right --dir',
    });
  }
}

export async function runChecks(opts: RunOptions): Promise<RunOutput> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const dir = resolve(opts.dir);
  const failOn = opts.failOn ?? 'low';
  if (!severities.includes(failOn)) {
    throw new OssError(`--fail-on must be one of ${severities.join(', ')} (got "${failOn}")`, { hint: 'e.g. --fail-on high' });
  }
  assertStackDir(dir);
  const files = openStackFiles(dir);
  let secretValues: Map<string, string>;
  try {
    secretValues = files.secretValues();
  } catch {
    secretValues = new Map();
  }
  const redact = makeRedactor(secretValues.values());
  // even a could-not-run message (e.g. a settings error quoting a pasted token) is scrubbed
  const scrubErrors = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof OssError) throw new OssError(redact(err.message), { hint: err.hint && redact(err.hint), exitCode: err.exitCode });
      throw err;
    }
  };
  const { settings } = scrubErrors(() => loadSettings(dir));
  const selected = selectChecks(opts.checks, opts.only, opts.skip);
  const waivers = scrubErrors(() => parseWaivers(files.text(WAIVERS_FILE), new Set(opts.checks.map((c) => c.id))));

  const providers = providerCache({ dir, settings, mode: opts.mode });
  const results: CheckResult[] = [];
  for (const check of selected) {
    const t0 = performance.now();
    const outcome = await runOne(check, { dir, settings, files, live: providers.views }, opts.mode, providers);
    results.push(applyWaiver(check, outcome, waivers, now, failOn, performance.now() - t0));
  }

  const summary = { total: results.length, pass: 0, fail: 0, skip: 0, error: 0, waived: 0 };
  for (const r of results) summary[r.status]++;
  const report: VerifyReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'oss', version: ossVersion },
    dir,
    mode: { static: opts.mode.static, deep: opts.mode.deep, redteam: opts.mode.redteam, local: opts.mode.local },
    failOn,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.round(Date.now() - started),
    exitCode: results.some((r) => r.failsRun) ? ExitCode.failed : ExitCode.ok,
    summary,
    results,
  };
  return { report: scrubDeep(report, redact), redact };
}

async function runOne(check: CheckDefinition, ctx: CheckContext, mode: VerifyMode, providers: ReturnType<typeof providerCache>): Promise<CheckOutcome> {
  for (const need of check.needs) {
    const blocked = needBlocked(need, mode);
    if (blocked) return { status: 'skip', evidence: [], reason: blocked };
    if (need === 'files') continue;
    const state = await providers.get(need);
    if (state.status === 'missing') return { status: 'skip', evidence: [], reason: `no ${need} provider is installed in this build` };
    if (state.status === 'unavailable') return { status: 'skip', evidence: [], reason: `${need} unavailable: ${state.reason}` };
    if (state.status === 'failed') return { status: 'error', evidence: [], reason: `${need} provider failed: ${state.reason}` };
  }
  try {
    return await check.run(ctx);
  } catch (err) {
    if (err instanceof StackFileError) {
      return { status: 'error', evidence: [{ file: err.file, line: err.line, message: err.message }], reason: err.message };
    }
    return { status: 'error', evidence: [], reason: `check crashed: ${(err as Error)?.message ?? String(err)}` };
  }
}

type ProviderState = { status: 'ok'; view: unknown } | { status: 'missing' } | { status: 'unavailable' | 'failed'; reason: string };

function providerCache(pctx: ProviderContext) {
  const cache = new Map<string, Promise<ProviderState>>();
  const get = (name: string): Promise<ProviderState> => {
    let p = cache.get(name);
    if (!p) {
      const factory = providerFactory(name);
      p = !factory
        ? Promise.resolve({ status: 'missing' } as const)
        : factory(pctx).then(
            (view): ProviderState => ({ status: 'ok', view }),
            (err: unknown): ProviderState =>
              err instanceof ProviderUnavailable ? { status: 'unavailable', reason: err.message } : { status: 'failed', reason: (err as Error)?.message ?? String(err) },
          );
      cache.set(name, p);
    }
    return p;
  };
  const views: LiveViews = new Proxy({} as LiveViews, {
    get: (_t, name) =>
      typeof name !== 'string'
        ? undefined
        : async () => {
            const s = await get(name);
            if (s.status !== 'ok') throw new Error(`live view ${name} is not available`);
            return s.view;
          },
  });
  return { get, views };
}

function applyWaiver(check: CheckDefinition, outcome: CheckOutcome, waivers: Waiver[], now: Date, failOn: Severity, ms: number): CheckResult {
  const base = {
    id: check.id,
    control: String(check.control),
    title: check.title,
    severity: check.severity,
    needs: check.needs,
    remediation: check.remediation,
    durationMs: Math.round(ms * 100) / 100,
  };
  const atOrAbove = severities.indexOf(check.severity) >= severities.indexOf(failOn);
  const w = waivers.find((x) => x.id === check.id);
  let status: CheckStatus = outcome.status;
  const evidence = [...outcome.evidence];
  let waiver: CheckResult['waiver'];
  if (w) {
    const expired = waiverExpired(w, now);
    waiver = { reason: w.reason, expires: w.expires, expired };
    if (expired) {
      status = 'fail';
      evidence.unshift({ file: WAIVERS_FILE, message: `the waiver for ${check.id} expired on ${w.expires}`, expected: 'fix the finding, or renew the waiver with a new expiry date' });
    } else if (status === 'fail' || status === 'error') {
      status = 'waived';
    }
  }
  // a crashed check proves nothing: it fails the run whatever its severity
  const failsRun = (status === 'fail' && atOrAbove) || status === 'error';
  return { ...base, status, ...(outcome.reason ? { reason: outcome.reason } : {}), evidence, ...(waiver ? { waiver } : {}), failsRun };
}

function scrubDeep<T>(v: T, redact: (s: string) => string): T {
  if (typeof v === 'string') return redact(v) as T;
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, redact)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrubDeep(x, redact)])) as T;
  return v;
}

