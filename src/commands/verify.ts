// `oss verify`: parse options, run the engine, print the report, write JUnit/SARIF.
// Exit codes: 0 every selected check passed (skips and live waivers allowed), 1 a check
// failed at or above --fail-on, a check crashed, or a waiver expired; 2 could not run.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checks } from '../../checks/index';
import { ExitCode, OssError } from '../errors';
import { DEFAULT_DIR_ROOT, DEFAULT_DIR_USER } from '../stack/model';
import { colorEnabled, painter } from '../ui/output';
import { severities, type Severity } from '../verify/check';
import { runChecks, type VerifyReport } from '../verify/engine';
import { renderJson } from '../verify/reporters/json';
import { renderJunit } from '../verify/reporters/junit';
import { renderSarif } from '../verify/reporters/sarif';
import { renderTable } from '../verify/reporters/table';

interface VerifyOptions {
  dir?: string;
  static?: boolean;
  deep?: boolean;
  redteam?: boolean;
  local?: boolean;
  openclawHome?: string;
  only?: string;
  skip?: string;
  failOn?: string;
  json?: boolean;
  junit?: string;
  sarif?: string;
  quiet?: boolean;
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

function defaultDir(): string {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? DEFAULT_DIR_ROOT : resolve(DEFAULT_DIR_USER);
}

/** an output file must be writable before anything runs (bad input changes nothing) */
function assertWritable(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new OssError(`${flag} ${file}: cannot write into ${dir} (${(err as Error).message})`, { hint: `pass a path in an existing, writable directory` });
  }
}

export async function run(opts: VerifyOptions): Promise<number> {
  const failOn = (opts.failOn ?? 'low') as Severity;
  if (!severities.includes(failOn)) {
    throw new OssError(`--fail-on must be one of ${severities.join(', ')} (got "${opts.failOn}")`, { hint: 'e.g. oss verify --fail-on high' });
  }
  if (opts.static && (opts.deep || opts.redteam)) {
    throw new OssError('--static cannot be combined with --deep or --redteam', { hint: '--static reads files only; drop it to run live checks' });
  }
  if (opts.junit) assertWritable('--junit', opts.junit);
  if (opts.sarif) assertWritable('--sarif', opts.sarif);

  const { report, redact } = await runChecks({
    dir: opts.dir ?? defaultDir(),
    mode: { static: Boolean(opts.static), deep: Boolean(opts.deep), redteam: Boolean(opts.redteam), local: Boolean(opts.local), openclawHome: opts.openclawHome },
    checks,
    only: list(opts.only),
    skip: list(opts.skip),
    failOn,
  });

  // every byte that leaves goes through the redactor, whatever the format
  if (opts.junit) writeFileSync(opts.junit, redact(renderJunit(report)));
  if (opts.sarif) writeFileSync(opts.sarif, redact(renderSarif(report, checks)));
  const quietOk = opts.quiet && report.exitCode === ExitCode.ok;
  if (!quietOk) {
    const text = opts.json ? renderJson(report) : renderTable(opts.quiet ? onlyProblems(report) : report, painter(colorEnabled(process.stdout)));
    process.stdout.write(redact(text));
  }
  return report.exitCode;
}

function onlyProblems(report: VerifyReport): VerifyReport {
  return { ...report, results: report.results.filter((r) => r.status === 'fail' || r.status === 'error') };
}
