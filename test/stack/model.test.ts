import { describe, expect, it } from 'vitest';
import {
  deniedTools,
  execAllowlist,
  gatewayToolsAllow,
  routes,
  secrets,
  serviceKeys,
  services,
  toolsPolicy,
  execCreateBody,
  workerContainer,
} from '../../src/stack/model';

describe('stack model', () => {
  it('has three routes with unique paths, each served by an existing worker', () => {
    expect(routes.map((r) => r.path)).toEqual(['/run-codex', '/deploy-staging', '/query-readonly']);
    for (const r of routes) {
      expect(serviceKeys).toContain(r.worker);
      expect(r.workerArgv.length).toBeGreaterThan(0);
      expect(r.field === null).toBe(r.maxInputChars === null);
    }
    expect(routes.find((r) => r.name === 'run-codex')).toMatchObject({ field: 'prompt', maxInputChars: 4000, timeoutSec: 600 });
    expect(routes.find((r) => r.name === 'deploy-staging')).toMatchObject({ field: null, timeoutSec: 900 });
    expect(routes.find((r) => r.name === 'query-readonly')).toMatchObject({ field: 'query', maxInputChars: 2000, timeoutSec: 30 });
  });

  it('lets exactly one service hold the Docker socket, and it is not the gateway or the bridge', () => {
    const holders = serviceKeys.filter((k) => services[k].holdsDockerSocket);
    expect(holders).toEqual(['socket-proxy']);
  });

  it('runs every service as a non-root user with a read-only rootfs and limits', () => {
    for (const k of serviceKeys) {
      const s = services[k];
      expect(s.user.split(':')[0], k).not.toBe('0');
      expect(s.user).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
      expect(s.readOnlyRootfs).toBe(true);
      expect(s.resources.memory).toMatch(/^[0-9]+[mg]$/);
      expect(s.resources.pids).toBeGreaterThan(0);
      expect(s.containerName).toBe(`openclaw-${k}`);
    }
  });

  it('sizes the gateway above the measured 1.3 GB peak', () => {
    expect(services.gateway.resources.memory).toBe('2g');
    expect(services.gateway.healthStartPeriodSec).toBeGreaterThanOrEqual(60);
  });

  it('keeps secret consumers and service secret lists consistent', () => {
    for (const s of secrets) {
      for (const c of s.consumers) expect(services[c].secrets, `${s.name} -> ${c}`).toContain(s.name);
    }
    for (const k of serviceKeys) {
      for (const name of services[k].secrets) {
        expect(secrets.find((s) => s.name === name)?.consumers, `${k} mounts ${name}`).toContain(k);
      }
    }
  });

  it('keeps the bridge and gateway off env_file-style secrets: bridge only sees the bridge token', () => {
    expect(services.bridge.secrets).toEqual(['bridge_token']);
  });

  it('uses alsoAllow (not allow) for exec and denies every SPEC tool with today\'s names', () => {
    expect(toolsPolicy.profile).toBe('minimal');
    expect(toolsPolicy.alsoAllow).toEqual(['exec']);
    expect('allow' in toolsPolicy).toBe(false);
    expect(deniedTools).toContain('view_image');
    expect(deniedTools).not.toContain('image');
    for (const t of ['group:fs', 'group:web', 'read', 'write', 'edit', 'apply_patch', 'gateway', 'subagents']) {
      expect(deniedTools).toContain(t);
    }
    expect(deniedTools).not.toContain('exec');
  });

  it('allowlists exactly the three wrapper scripts in the gateway config dir', () => {
    expect(execAllowlist()).toEqual([
      '/home/node/.openclaw/run-codex.sh',
      '/home/node/.openclaw/deploy-staging.sh',
      '/home/node/.openclaw/query-readonly.sh',
    ]);
  });

  it('exposes no tool over HTTP /tools/invoke', () => {
    expect(gatewayToolsAllow).not.toContain('exec');
  });

  it('pins each exec to its worker and fixed argv', () => {
    for (const r of routes) {
      const body = JSON.parse(execCreateBody(r));
      expect(body.Cmd).toEqual(r.workerArgv);
      expect(body.Tty).toBe(false);
      expect(workerContainer(r)).toBe(services[r.worker].containerName);
    }
  });
});
