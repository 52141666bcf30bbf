// Live-stack assertions for `oss rotate-secrets`, for the e2e test that owns the running
// stack (fixed container names: only that test brings it up). Call
//   await rotateAndProveLive(stackDir)
// after `up --wait`. It rotates the bridge and gateway tokens through the real CLI while
// scanning /proc, checks the command's own proof, proves it again independently (old
// bridge token 401 / new 200 from inside the gateway container, old gateway token refused,
// no Config.Env holds a value), checks both consumers are healthy and no file of the stack
// dir holds an old value; then crashes a rotation (SIGKILL) between the bridge and gateway
// restarts and proves the next run leaves both on the same new token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { scanFiles, type Needle } from '../../src/secrets/leaks';
import { bridgeStatuses, gatewayStatus, proveRotationLive, type ProofItem } from '../../src/secrets/live-proof';
import { runCommand } from '../../src/secrets/services';
import { loadSettings } from '../../src/stack/settings';
import { secretPath, services, type SecretName } from '../../src/stack/model';
import { runOss } from '../helpers/run-oss';
import { watchProcesses } from './fixtures';

const TOKENS: SecretName[] = ['bridge_token', 'gateway_token'];

function readTokens(dir: string): Record<string, string> {
  return Object.fromEntries(TOKENS.map((n) => [n, readFileSync(join(dir, secretPath(n)), 'utf8')]));
}

async function health(container: string): Promise<string> {
  const r = await runCommand('docker', ['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}', container]);
  return r.stdout.trim();
}

export interface LiveRotationReport {
  rotateMs: number;
  proof: ProofItem[];
  crashRepairMs?: number;
}

export async function rotateAndProveLive(dir: string, opts: { crash?: boolean } = {}): Promise<LiveRotationReport> {
  const { settings } = loadSettings(dir);
  const before = readTokens(dir);

  const watch = watchProcesses();
  const t0 = Date.now();
  const r = await runOss(['rotate-secrets', '--dir', dir, '--json'], { timeoutMs: 900_000 });
  const rotateMs = Date.now() - t0;
  const seen = [...watch.stop()];
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  const json = JSON.parse(r.stdout) as { ok: boolean; restarted: string[]; proof: ProofItem[]; leaks: unknown[] };
  expect(json.restarted).toEqual(['bridge', 'gateway']);
  expect(json.leaks).toEqual([]);
  expect(json.proof.filter((p) => !p.ok)).toEqual([]);
  expect(json.proof.map((p) => p.title)).toEqual(
    expect.arrayContaining(['bridge refuses the old bridge token', 'bridge accepts the new bridge token', 'gateway refuses the old gateway token']),
  );

  const after = readTokens(dir);
  for (const n of TOKENS) expect(after[n], n).not.toBe(before[n]);

  // prove again, independently of the command's own report
  const proof = await proveRotationLive({ before, after, gatewayPort: settings.gateway.port });
  expect(proof.filter((p) => !p.ok)).toEqual([]);
  for (const key of ['bridge', 'gateway'] as const) expect(await health(services[key].containerName), key).toBe('healthy');

  // no process argument or environment held a value while it ran
  for (const v of [...Object.values(before), ...Object.values(after)]) expect(seen.filter((s) => s.includes(v))).toEqual([]);
  // no file of the stack dir (compose, openclaw.json and its copies, logs, temp files) holds an old value
  const needles: Needle[] = TOKENS.flatMap((n) => [
    { label: `old ${n}`, value: before[n]! },
    { label: `new ${n}`, value: after[n]!, home: secretPath(n) },
  ]);
  expect(scanFiles(dir, needles).findings).toEqual([]);

  let crashRepairMs: number | undefined;
  if (opts.crash !== false) {
    // killed after the bridge restarted with the new token but before the gateway did
    const crashed = await runOss(['rotate-secrets', '--dir', dir], { timeoutMs: 900_000, env: { OSS_TEST_FAULTS: '1', OSS_FAULT_INJECT: 'restarted:bridge' } });
    expect(crashed.code).toBe(128);
    const t1 = Date.now();
    const repair = await runOss(['rotate-secrets', '--dir', dir, '--json'], { timeoutMs: 900_000 });
    crashRepairMs = Date.now() - t1;
    expect(repair.code, repair.stderr).toBe(0);
    expect(JSON.parse(repair.stdout).recovered).toMatchObject({ action: 'completed' });
    const final = readTokens(dir);
    expect(final.bridge_token).not.toBe(after.bridge_token);
    // the gateway (its client) and the bridge agree on the new token; the previous one is dead
    expect(await bridgeStatuses([final.bridge_token!, after.bridge_token!])).toEqual([200, 401]);
    expect([401, 403]).toContain(await gatewayStatus(settings.gateway.port, after.gateway_token!));
  }
  return { rotateMs, proof, crashRepairMs };
}
