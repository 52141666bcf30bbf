// oss set-key: parse, read the value (stdin / env, never argv), call the core, print.
import { resolve } from 'node:path';
import { OssError } from '../errors';
import { defaultStackDir } from '../render/init-stack';
import { argvValueError, collectValues, scrubSecretEnv } from '../secrets/input';
import { preflightSetKey, secretForAlias, setKey, setKeyAliases, type SetKeyResult } from '../secrets/set-key';
import { dockerController, restartHint } from '../secrets/services';
import { colorEnabled, painter } from '../ui/output';

interface SetKeyOpts {
  dir?: string;
  restart?: boolean;
  json?: boolean;
  value?: string;
  key?: string;
  token?: string;
}

/** an alias is echoed in errors only when it cannot be a pasted secret */
const printable = (s: string) => /^[a-z][a-z_-]{0,19}$/.test(s);

export async function run(opts: SetKeyOpts, args: string[]): Promise<number> {
  const env = { ...process.env };
  scrubSecretEnv(process.env); // children (docker) never inherit a key
  const [alias, ...extra] = args;
  if (opts.value !== undefined || opts.key !== undefined || opts.token !== undefined || extra.length > 0) {
    throw argvValueError('a key value');
  }
  if (!alias) throw new OssError('which key?', { hint: `oss set-key <${setKeyAliases().join('|')}>` });
  if (!printable(alias) && !setKeyAliases().includes(alias)) {
    throw new OssError('unknown key name (not shown: it looks like it could be a secret)', {
      hint: `the argument names the key, the value goes on stdin: oss set-key <${setKeyAliases().join('|')}>`,
    });
  }
  const secret = secretForAlias(alias);
  const dir = resolve(opts.dir ?? defaultStackDir());
  preflightSetKey(dir, secret);
  const [supplied] = await collectValues([secret], { stdin: process.stdin, stderr: process.stderr, env });
  const restart = opts.restart !== false;
  const result = await setKey({
    dir,
    secret,
    value: supplied!.value,
    restart,
    controller: restart ? dockerController(dir) : undefined,
    log: (l) => process.stderr.write(`- ${l}\n`),
    skipEnvironOf: supplied!.from.startsWith('env') ? [process.pid] : [],
  });
  if (opts.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dir, from: supplied!.from, ...result }, null, 2)}\n`);
  else process.stdout.write(human(result, dir, supplied!.from));
  return result.ok ? 0 : 1;
}

function human(r: SetKeyResult, dir: string, from: string): string {
  const p = painter(colorEnabled());
  const lines: string[] = [];
  for (const w of r.warnings) lines.push(p.yellow(`warning: ${w}`));
  if (!r.changed) lines.push(`${r.file} already holds this value (${r.bytes} bytes from ${from}); nothing changed`);
  else lines.push(`wrote ${r.file} (${r.bytes} bytes from ${from}, mode 0600; value not shown)`);
  if (r.restarted.length) lines.push(`restarted ${r.restarted.join(', ')}: healthy`);
  if (r.mustRestart.length) lines.push(p.yellow(`not restarted: ${r.mustRestart.join(', ')} still use the old value; run in ${dir}: ${restartHint(r.mustRestart)}`));
  for (const l of r.leaks) lines.push(p.red(`LEAK: ${l.label} found in ${l.where}`));
  if (r.leaks.length === 0) lines.push(`no copy of the value in other files of ${dir} or in any process command line`);
  return `${lines.join('\n')}\n`;
}
