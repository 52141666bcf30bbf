import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { layout } from '../../src/stack/layout';
import { routes } from '../../src/stack/model';

/** where the Dockerfile puts the bundle and the entry runs it (templates/db-query-runner) */
export const RUNNER_IN_IMAGE = '/app/query-runner.cjs';
/** a string only the real runner bundle holds: its read-only transaction */
export const RUNNER_MARKER = 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY';

const route = routes.find((r) => r.name === 'query-readonly')!;

export default defineCheck({
  id: '6.11',
  control: 6,
  title: 'The db-query worker runs the read-only runner, with the SQL on stdin',
  severity: 'high',
  needs: ['files'],
  rationale:
    'The original worker was a substring filter in front of a placeholder. The hardened worker entry execs the bundled runner (PostgreSQL grammar, READ ONLY transaction, timeouts, cursor row cap, rollback) and passes nothing on its command line, so neither the SQL nor the DSN can reach argv.',
  remediation: `Re-render with \`oss init --force\`: ${layout.dbQueryRunner.entry} must end in \`exec node ${RUNNER_IN_IMAGE}\`, the Dockerfile must copy ${layout.dbQueryRunner.bundle} there, and the bundle must be the one this oss version ships.`,
  run(ctx) {
    const out: Evidence[] = [];
    const entryFile = layout.dbQueryRunner.entry;
    const entry = ctx.files.text(entryFile);
    if (entry === null) {
      out.push({ file: entryFile, message: 'the worker entry is missing', expected: `a script that execs node ${RUNNER_IN_IMAGE}` });
    } else {
      // every line that does something: no comments, no blank lines
      const code = entry
        .split('\n')
        .map((l, i) => ({ l: l.trim(), line: i + 1 }))
        .filter(({ l }) => l !== '' && !l.startsWith('#'));
      const allowed = [/^set -eu$/, /^unset OSS_DB_DSN_FILE$/, new RegExp(`^exec node ${RUNNER_IN_IMAGE.replace(/\./g, '\\.')}$`)];
      for (const { l, line } of code) {
        if (!allowed.some((re) => re.test(l))) {
          out.push({ file: entryFile, line, found: l, expected: `exec node ${RUNNER_IN_IMAGE}`, message: 'the worker entry runs something other than the read-only runner, or passes it arguments' });
        }
      }
      if (!code.some(({ l }) => l === `exec node ${RUNNER_IN_IMAGE}`)) {
        out.push({ file: entryFile, expected: `exec node ${RUNNER_IN_IMAGE}`, message: 'the worker entry does not exec the read-only runner' });
      }
    }
    const dockerfile = ctx.files.text(layout.dbQueryRunner.dockerfile);
    if (dockerfile === null) {
      out.push({ file: layout.dbQueryRunner.dockerfile, message: 'the worker Dockerfile is missing' });
    } else {
      const copyBundle = new RegExp(`^COPY\\s+query-runner\\.cjs\\s+${RUNNER_IN_IMAGE.replace(/\./g, '\\.')}\\s*$`, 'm');
      if (!copyBundle.test(dockerfile)) {
        out.push({ file: layout.dbQueryRunner.dockerfile, expected: `COPY query-runner.cjs ${RUNNER_IN_IMAGE}`, message: 'the image does not install the runner bundle where the entry runs it' });
      }
      const copyEntry = new RegExp(`^COPY\\s+oss-query-readonly\\s+${route.workerArgv[0]}\\s*$`, 'm');
      if (!copyEntry.test(dockerfile)) {
        out.push({ file: layout.dbQueryRunner.dockerfile, expected: `COPY oss-query-readonly ${route.workerArgv[0]}`, message: 'the image does not install the worker entry the bridge executes' });
      }
    }
    const bundle = ctx.files.text(layout.dbQueryRunner.bundle);
    if (bundle === null) {
      out.push({ file: layout.dbQueryRunner.bundle, message: 'the runner bundle is missing' });
    } else if (!bundle.includes(RUNNER_MARKER)) {
      out.push({ file: layout.dbQueryRunner.bundle, expected: 'the runner bundle from `npm run bundle`', message: 'the runner bundle is not the read-only runner (no READ ONLY transaction in it)' });
    }
    return verdict(out, `${entryFile} execs the read-only runner with no arguments`);
  },
});
