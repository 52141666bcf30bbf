// `oss set-key <alias>` core: one operator-supplied secret, written atomically at 0600,
// then only its consumers restarted and waited for.
import { ExitCode, OssError } from '../errors';
import { secretPath, secrets, type SecretModel, type ServiceKey } from '../stack/model';
import { assertSafeTarget } from './atomic-write';
import { formatWarnings } from './format';
import { scanFiles, scanProcesses, type LeakFinding } from './leaks';
import { consumersOf, healthTimeoutMs, type ServiceController } from './services';
import { assertStackDir, readSecret, secretFile, writeSecret } from './store';

export const setKeyAliases = (): string[] => secrets.filter((s) => s.setKeyAlias).map((s) => s.setKeyAlias!);

/** the operator secret behind an alias (or its file name) */
export function secretForAlias(alias: string): SecretModel {
  const s = secrets.find((x) => x.source === 'operator' && (x.setKeyAlias === alias || x.name === alias));
  if (!s) {
    throw new OssError(`unknown key "${alias}"`, {
      hint: `use one of: ${setKeyAliases().join(', ')} (generated tokens are replaced with \`oss rotate-secrets\`)`,
    });
  }
  return s;
}

/** checks that must pass before the operator is asked for the value: nothing changes if they fail */
export function preflightSetKey(dir: string, secret: SecretModel): void {
  assertStackDir(dir);
  assertSafeTarget(secretFile(dir, secret.name));
}

export interface SetKeyOptions {
  dir: string;
  secret: SecretModel;
  value: string;
  restart: boolean;
  controller?: ServiceController;
  log?: (line: string) => void;
  skipEnvironOf?: number[];
}

export interface SetKeyResult {
  ok: boolean;
  secret: string;
  file: string;
  changed: boolean;
  bytes: number;
  warnings: string[];
  restarted: ServiceKey[];
  mustRestart: ServiceKey[];
  leaks: LeakFinding[];
}

export async function setKey(opts: SetKeyOptions): Promise<SetKeyResult> {
  const { dir, secret, value } = opts;
  const log = opts.log ?? (() => {});
  preflightSetKey(dir, secret);
  const warnings = formatWarnings(secret, value);
  const changed = readSecret(dir, secret.name) !== value;
  if (changed) writeSecret(dir, secret.name, value);
  const consumers = consumersOf([secret.name]);
  const restarted: ServiceKey[] = [];
  if (changed && opts.restart) {
    if (!opts.controller) throw new OssError('no way to restart services', { exitCode: ExitCode.usage });
    for (const svc of consumers) {
      log(`restarting ${svc}`);
      await opts.controller.restart(svc);
      await opts.controller.waitHealthy(svc, healthTimeoutMs(svc));
      log(`${svc} is healthy`);
      restarted.push(svc);
    }
  }
  const needle = { label: secret.name, value, home: secretPath(secret.name) };
  const leaks = [...scanFiles(dir, [needle]).findings, ...scanProcesses([needle], { skipEnvironOf: opts.skipEnvironOf })];
  return {
    ok: leaks.length === 0,
    secret: secret.name,
    file: secretPath(secret.name),
    changed,
    bytes: Buffer.byteLength(value),
    warnings,
    restarted,
    mustRestart: changed && !opts.restart ? consumers : [],
    leaks,
  };
}
