// oss db-role-sql: print the SQL that creates the query runner's read-only role.
import { readFileSync } from 'node:fs';
import { OssError } from '../errors';
import { isPlainIdentifier, roleSql } from '../query/role-sql';
import { query as queryModel } from '../stack/model';

export async function run(opts: Record<string, unknown>): Promise<number> {
  const role = (opts.role as string | undefined) ?? queryModel.readonlyRole;
  const schema = (opts.schema as string | undefined) ?? queryModel.schema;
  for (const [what, name] of [['--role', role], ['--schema', schema]] as const) {
    if (!isPlainIdentifier(name)) {
      throw new OssError(`${what} "${name}" is not a plain identifier`, {
        hint: 'use lower-case letters, digits and "_", starting with a letter or "_" (at most 63)',
      });
    }
  }
  let password: string | undefined;
  const file = opts.passwordFile as string | undefined;
  if (file !== undefined) {
    try {
      password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new OssError(`cannot read --password-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
        hint: 'give a file holding the password on its first line (mode 600)',
      });
    }
    if (password.length < 16 || /[\0\r\n]/.test(password)) {
      throw new OssError(`the password in ${file} must be one line of at least 16 characters`, {
        hint: 'generate one: openssl rand -hex 24 > pw && chmod 600 pw',
      });
    }
  }
  const sql = roleSql({ role, schema, password });
  process.stdout.write(opts.json ? `${JSON.stringify({ role, schema, passwordSet: password !== undefined, sql })}\n` : sql);
  return 0;
}
