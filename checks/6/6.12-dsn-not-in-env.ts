import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { isObject } from '../../src/verify/compose';
import { layout } from '../../src/stack/layout';
import { secretByName } from '../../src/stack/model';

const DSN_VALUE = /\b(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?):\/\/|\bpassword=/i;
const dsnEnvVar = secretByName('db_dsn')?.envVar ?? 'OSS_DB_DSN';
const DSN_NAME = new RegExp(`^(${dsnEnvVar}|DATABASE_URL|DB_DSN|PGPASSWORD|PGPASSFILE|PGSERVICEFILE)$`, 'i');

function entries(env: unknown): [string, string][] {
  if (Array.isArray(env)) {
    return env.map((e) => {
      const s = String(e);
      const i = s.indexOf('=');
      return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
    });
  }
  if (isObject(env)) return Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return [];
}

export default defineCheck({
  id: '6.12',
  control: 6,
  title: 'No database DSN in the compose environment, command lines or worker entry',
  severity: 'high',
  needs: ['files'],
  rationale:
    'A DSN carries the database password. In an environment variable or a command line it shows in `docker inspect`, `ps` and crash dumps; the runner reads it only from the compose file secret db_dsn.',
  remediation: `Remove the DSN from environment/command/entrypoint and store it with \`oss set-key db\` (it lands in secrets/db_dsn, mounted at /run/secrets/db_dsn).`,
  run(ctx) {
    const compose = ctx.files.compose();
    const out: Evidence[] = [];
    for (const s of compose.services()) {
      for (const [k, v] of entries(s.svc.environment)) {
        if (DSN_NAME.test(k) || DSN_VALUE.test(v)) {
          // name the variable only: the value may be the secret itself
          out.push(compose.at(['services', s.name, 'environment'], { found: k, expected: 'no DSN variable', message: `service ${s.name} gets a database DSN or password in its environment (${k})` }));
        }
      }
      for (const key of ['command', 'entrypoint'] as const) {
        const v = s.svc[key];
        const text = Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : '';
        if (DSN_VALUE.test(text) || /--dsn(?!-file)\b/.test(text)) {
          out.push(compose.at(['services', s.name, key], { expected: 'no DSN on the command line', message: `service ${s.name} has a database DSN on its ${key}` }));
        }
      }
    }
    const entry = ctx.files.text(layout.dbQueryRunner.entry);
    if (entry !== null && (DSN_VALUE.test(entry) || new RegExp(`\\$\\{?${dsnEnvVar}\\b`).test(entry))) {
      out.push({ file: layout.dbQueryRunner.entry, expected: 'the DSN read from /run/secrets/db_dsn by the runner', message: 'the worker entry holds or forwards a DSN' });
    }
    return verdict(out, 'the DSN only exists as the db_dsn file secret');
  },
});
