// oss rotate-secrets: parse, gather new operator values, call the journaled core, print.
import { resolve } from 'node:path';
import { OssError } from '../errors';
import { defaultStackDir } from '../render/init-stack';
import { faultPointFromEnv } from '../secrets/faults';
import { collectValues, scrubSecretEnv } from '../secrets/input';
import { proveRotationLive } from '../secrets/live-proof';
import { defaultRotationNames, pendingRollForward, rotateSecrets, type RotateResult } from '../secrets/rotate';
import { dockerController, restartHint } from '../secrets/services';
import { assertStackDir } from '../secrets/store';
import { loadSettings } from '../stack/settings';
import { secrets, type SecretName } from '../stack/model';
import { colorEnabled, painter } from '../ui/output';

interface RotateOpts {
  dir?: string;
  only?: string;
  restart?: boolean;
  json?: boolean;
}

/** --only: secret file names or set-key aliases */
export function parseOnly(raw: string | undefined): SecretName[] {
  if (raw === undefined) return defaultRotationNames();
  const words = raw.split(',').map((w) => w.trim()).filter(Boolean);
  const allowed = secrets.map((s) => (s.setKeyAlias ? `${s.name} (${s.setKeyAlias})` : s.name)).join(', ');
  if (words.length === 0) throw new OssError('--only names no secret', { hint: `use some of: ${allowed}` });
  return words.map((w) => {
    const s = secrets.find((x) => x.name === w || x.setKeyAlias === w);
    if (!s) {
      const shown = /^[a-z][a-z_-]{0,29}$/.test(w) ? `"${w}"` : '(not shown: it looks like it could be a secret)';
      throw new OssError(`--only: unknown secret ${shown}`, { hint: `use some of: ${allowed}` });
    }
    return s.name;
  });
}

export async function run(opts: RotateOpts): Promise<number> {
  const env = { ...process.env };
  scrubSecretEnv(process.env);
  const names = parseOnly(opts.only);
  const dir = resolve(opts.dir ?? defaultStackDir());
  assertStackDir(dir);
  const restart = opts.restart !== false;
  const { settings } = loadSettings(dir);

  // an interrupted rotation past its commit point is completed as planned: no new values
  const pending = pendingRollForward(dir);
  const supplied: Partial<Record<SecretName, string>> = {};
  let fromEnv = false;
  if (!pending) {
    const operator = names.map((n) => secrets.find((s) => s.name === n)!).filter((s) => s.source === 'operator');
    for (const v of await collectValues(operator, { stdin: process.stdin, stderr: process.stderr, env })) {
      supplied[v.secret.name] = v.value;
      if (v.from.startsWith('env')) fromEnv = true;
    }
  }

  const result = await rotateSecrets({
    dir,
    names,
    supplied,
    restart,
    controller: restart ? dockerController(dir) : undefined,
    prove: (before, after) => proveRotationLive({ before, after, gatewayPort: settings.gateway.port }),
    fault: faultPointFromEnv(env),
    log: (l) => process.stderr.write(`- ${l}\n`),
    skipEnvironOf: fromEnv ? [process.pid] : [],
  });
  if (opts.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dir, requested: names, ...result }, null, 2)}\n`);
  else process.stdout.write(human(result, dir, names));
  return result.ok ? 0 : 1;
}

function human(r: RotateResult, dir: string, requested: SecretName[]): string {
  const p = painter(colorEnabled());
  const lines: string[] = [];
  if (r.recovered?.action === 'completed') {
    lines.push(`completed the interrupted rotation ${r.recovered.id} (it had reached: ${r.recovered.phase})`);
    const missed = requested.filter((n) => !r.rotated.includes(n));
    if (missed.length) lines.push(p.yellow(`not rotated in this run: ${missed.join(', ')}; run the command again for them`));
  }
  if (r.recovered?.action === 'rolled-back') lines.push(`rolled back the interrupted rotation ${r.recovered.id} (nothing live had changed)`);
  lines.push(`rotated ${r.rotated.join(', ')} in ${dir}/secrets (mode 0600; values not shown)`);
  if (r.restarted.length) lines.push(`restarted in order: ${r.restarted.join(' -> ')}; all healthy`);
  if (r.mustRestart.length) {
    lines.push(
      p.yellow(
        `not restarted: ${r.mustRestart.join(', ')} still run with the old values. In ${dir} run, in this order: ${r.mustRestart.map((s) => restartHint([s])).join(' && ')}`,
      ),
    );
  }
  for (const item of r.proof) lines.push(`${item.ok ? p.green('ok  ') : p.red('FAIL')} ${item.title}: ${item.detail}`);
  for (const l of r.leaks) lines.push(p.red(`LEAK: ${l.label} found in ${l.where}`));
  if (r.leaks.length === 0) lines.push('no old or new value in any other file of the stack dir, temp file, backup or process command line');
  return `${lines.join('\n')}\n`;
}
