// The container transport of `oss harden` and the red-team run, through a real Docker
// engine: a throwaway container (unique name, never the stack's fixed names) from the
// project's local/node:24 image, with the cached openclaw mounted read-only and a stack
// dir's gateway/config mounted at /home/node/.openclaw as the stack does.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOss } from '../helpers/run-oss';
import { runRedteam } from '../../src/openclaw/redteam/run';
import { containerTarget } from '../../src/openclaw/target';
import { gateway, RUNTIME_GID, RUNTIME_UID } from '../../src/stack/model';
import { inCI, openclawBin } from './openclaw-env';

const IMAGE = 'local/node:24';
function dockerReady(): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ready = openclawBin !== null && dockerReady();
if (!ready && !inCI) console.warn(`container transport test skipped: needs scripts/setup-docker.sh (${IMAGE}) and scripts/setup-openclaw.sh`);

const name = `oss-harden-test-${randomBytes(4).toString('hex')}`;
let dir: string;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

function chownTree(p: string): void {
  chownSync(p, RUNTIME_UID, RUNTIME_GID);
}

describe.runIf(ready || inCI)('container transport (docker exec into a gateway container)', { timeout: 300_000 }, () => {
  beforeAll(() => {
    if (!ready) throw new Error(`needs Docker with ${IMAGE} (scripts/setup-docker.sh) and openclaw (scripts/setup-openclaw.sh)`);
    dir = mkdtempSync(join(tmpdir(), 'oss-ctr-'));
    const config = join(dir, 'gateway', 'config');
    mkdirSync(config, { recursive: true, mode: 0o700 });
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    writeFileSync(join(dir, 'oss.yaml'), 'version: 1\ntelegram:\n  operatorIds: ["42"]\n');
    writeFileSync(join(dir, 'secrets', 'gateway_token'), randomBytes(32).toString('hex'), { mode: 0o600 });
    for (const p of [dir, join(dir, 'gateway'), config, join(dir, 'secrets'), join(dir, 'secrets', 'gateway_token')]) chownTree(p);
    const cache = dirname(openclawBin!);
    docker(
      'run', '-d', '--name', name, '--user', `${RUNTIME_UID}:${RUNTIME_GID}`, '--network', 'none',
      '--tmpfs', `/home/node/.cache:uid=${RUNTIME_UID},gid=${RUNTIME_GID},mode=0700`,
      '-e', 'HOME=/home/node', '-e', `PATH=/opt/openclaw/bin:/usr/local/bin:/usr/bin:/bin`, '-e', 'OPENCLAW_GATEWAY_TOKEN=unused-env-token-0123456789abcdef',
      '-v', `${cache}:/opt/openclaw:ro`,
      '-v', `${config}:${gateway.configDir}`,
      '-v', `${join(dir, 'secrets', 'gateway_token')}:/run/secrets/gateway_token:ro`,
      IMAGE, 'sleep', 'infinity',
    );
    docker('exec', name, 'openclaw', 'onboard', '--non-interactive', '--accept-risk', '--mode', 'local', '--flow', 'quickstart',
      '--auth-choice', 'skip', '--gateway-auth', 'token', '--gateway-token-ref-env', 'OPENCLAW_GATEWAY_TOKEN',
      '--gateway-bind', 'loopback', '--gateway-port', '18789', '--no-install-daemon', '--skip-channels', '--skip-health',
      '--skip-search', '--skip-skills', '--skip-ui', '--skip-hooks', '--json');
  }, 240_000);

  afterAll(() => {
    try {
      docker('rm', '-f', name);
    } catch {
      /* already gone */
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('oss harden applies and reads back through docker exec, then the red team is fenced', async () => {
    const t0 = Date.now();
    const r = await runOss(['harden', '--dir', dir, '--container', name, '--json'], { timeoutMs: 280_000 });
    const hardenMs = Date.now() - t0;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.kind).toBe('container');
    expect(rep.readBack.ok).toBe(true);
    expect(rep.restart).toBe(`restarted ${name}`);
    const cfg = JSON.parse(readFileSync(join(dir, 'gateway', 'config', 'openclaw.json'), 'utf8'));
    expect(cfg.gateway.bind).toBe(gateway.bindInContainer);
    expect(cfg.secrets.providers.ossgatewaytoken.path).toBe('/run/secrets/gateway_token');
    expect(cfg.channels.telegram.tokenFile).toBe('/run/secrets/telegram_bot_token');

    const t1 = Date.now();
    const rt = await runRedteam(containerTarget(dir, name));
    const redteamMs = Date.now() - t1;
    console.log(`container timings (ms): ${JSON.stringify({ hardenMs, redteamMs })}`);
    expect(rt.probes.filter((p) => !p.ok), JSON.stringify(rt, null, 1)).toEqual([]);
    expect(rt.ok).toBe(true);
    expect(rt.offeredTools).toEqual(expect.arrayContaining(['exec']));
    expect(rt.offeredTools).not.toContain('read');
    // the stand-in wrapper and the staged config copy are gone
    expect(existsSync(join(dir, 'gateway', 'config', 'deploy-staging.sh'))).toBe(false);
    expect(docker('exec', name, 'sh', '-c', 'ls /tmp/oss-redteam 2>/dev/null | wc -l').trim()).toBe('0');
  });
});
