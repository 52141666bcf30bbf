// Plan and read-back logic on real temp dirs (no OpenClaw needed): the desired state
// comes from the model, a hardened config has no difference, each tamper is named.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffApprovals, diffConfig, diffEffectivePolicy, show } from '../../src/openclaw/compare';
import { desiredState, REPLACE_PATHS } from '../../src/openclaw/desired';
import { configPatch, planHarden } from '../../src/openclaw/harden';
import { listBackups, plaintextSecretPaths, type ApprovalsFile, type Json } from '../../src/openclaw/state';
import { containerTarget, localTarget, parseCliJson } from '../../src/openclaw/target';
import { deniedTools, execAllowlist, knownTools } from '../../src/stack/model';
import { parseSettings } from '../../src/stack/settings';

const work = mkdtempSync(join(tmpdir(), 'oss-compare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const settings = parseSettings({ telegram: { operatorIds: ['42'] } });

/** apply a config patch the way `openclaw config patch --replace-path ...` does */
function applyPatch(cfg: Json, patch: Json, replace: readonly string[], prefix = ''): Json {
  const out: Json = { ...cfg };
  for (const [k, v] of Object.entries(patch)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === null) delete out[k];
    else if (replace.includes(path) || typeof v !== 'object' || Array.isArray(v)) out[k] = v;
    else out[k] = applyPatch((out[k] as Json) ?? {}, v as Json, replace, path);
  }
  return out;
}

const onboarded: Json = {
  gateway: { mode: 'local', port: 18789, bind: 'loopback', auth: { mode: 'token', token: 'plain-token-value' } },
  tools: { profile: 'full', allow: ['exec'] },
  agents: { entries: { main: { name: 'main', tools: { allow: ['*'] } } }, defaults: { tools: { profile: 'full' } } },
};

describe('desired state and plan', () => {
  const target = localTarget(join(work, 'home'));
  const want = desiredState(target, settings);

  it('takes every value from the model: wrappers in the target dir, deploy-staging without arguments', () => {
    expect(want.approvals.agents.main!.allowlist.map((e) => e.pattern)).toEqual(execAllowlist().map((p) => p.replace('/home/node/.openclaw', target.stateDir)));
    expect(want.approvals.agents.main!.allowlist.find((e) => e.id === 'oss-deploy-staging')?.argPattern).toBe('^$');
    expect((want.exact.tools as Json).deny).toEqual(deniedTools);
    expect(want.exact['gateway.bind']).toBe('loopback');
    expect(desiredState(containerTarget(work), settings).exact['gateway.bind']).toBe('lan');
  });

  it('every denied name is a tool this OpenClaw version has', () => {
    expect(deniedTools.filter((t) => !knownTools.includes(t))).toEqual([]);
  });

  it('an onboarded config differs in the dangerous fields, and the patch makes it match exactly', () => {
    const diffs = diffConfig(onboarded, want).map((d) => d.field);
    expect(diffs).toEqual(expect.arrayContaining(['config:tools.profile', 'config:tools.allow', 'config:tools.deny', 'config:agents.entries.main.tools', 'config:agents.defaults.tools', 'config:gateway.auth.token']));
    const after = applyPatch(onboarded, configPatch(want, onboarded), REPLACE_PATHS);
    expect(diffConfig(after, want)).toEqual([]);
    expect((after.agents as Json).entries).toEqual({ main: { name: 'main' } });
  });

  it('never prints a plaintext secret, only that there is one', () => {
    const d = diffConfig(onboarded, want).find((x) => x.field === 'config:gateway.auth.token')!;
    expect(d.found).toBe('(plaintext secret)');
    expect(JSON.stringify(diffConfig(onboarded, want))).not.toContain('plain-token-value');
    expect(plaintextSecretPaths(onboarded)).toEqual(['gateway.auth.token']);
    expect(show('x.apiKey', 'sk-123')).toBe('(plaintext secret)');
  });

  it('approvals: ids matter for the plan (stable hash), not for the read-back; extras are named', () => {
    const exact = structuredClone(want.approvals);
    expect(diffApprovals(exact, want.approvals, true)).toEqual([]);
    const noIds: ApprovalsFile = { ...exact, agents: { main: { allowlist: exact.agents.main!.allowlist.map(({ id: _id, ...e }) => ({ ...e, lastUsedAt: 1 })) } } };
    expect(diffApprovals(noIds, want.approvals, false)).toEqual([]);
    expect(diffApprovals(noIds, want.approvals, true).map((d) => d.field)).toEqual(['approvals:agents.main.allowlist']);
    const wide = structuredClone(exact) as ApprovalsFile & typeof exact;
    wide.agents.main!.allowlist.push({ id: 'x', pattern: '/bin/sh' });
    (wide.agents as ApprovalsFile['agents'] & object)['*'] = { allowlist: [{ pattern: '*' }] };
    (wide.agents.main as Json).security = 'full';
    wide.defaults.askFallback = 'full';
    const fields = diffApprovals(wide, want.approvals, false).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['approvals:defaults.askFallback', 'approvals:agents.*', 'approvals:agents.main.security', 'approvals:agents.main.allowlist']));
    expect(JSON.stringify(diffApprovals(wide, want.approvals, false))).toContain('/bin/sh');
  });

  it('effective policy: every scope must be allowlist / on-miss / deny', () => {
    const scope = (security: string) => ({ scopeLabel: 'tools.exec', agentId: 'main', host: { requested: 'gateway' }, security: { effective: security }, ask: { effective: 'on-miss' }, askFallback: { effective: 'deny' } });
    expect(diffEffectivePolicy({ effectivePolicy: { scopes: [scope('allowlist')] } })).toEqual([]);
    expect(diffEffectivePolicy({ effectivePolicy: { scopes: [scope('full')] } }).map((d) => d.field)).toEqual(['exec-policy:tools.exec/main.security.effective']);
    expect(diffEffectivePolicy({ effectivePolicy: { scopes: [] } }).length).toBeGreaterThan(0);
  });

  it('plans from the files: keeps Telegram on only when it is configured exactly; lists backups', async () => {
    const home = join(work, 'plan-home');
    mkdirSync(home, { recursive: true });
    const t = localTarget(home);
    const hardened = applyPatch({}, configPatch(desiredState(t, settings, true), {}), REPLACE_PATHS);
    writeFileSync(join(home, 'openclaw.json'), JSON.stringify(hardened));
    writeFileSync(join(home, 'openclaw.json.bak.1'), '{}');
    writeFileSync(join(home, 'openclaw.json.last-good'), '{}');
    let { plan } = await planHarden(t, settings);
    expect(plan.telegramEnabled).toBe(true);
    expect(plan.config).toEqual([]);
    expect(plan.backups).toEqual(['openclaw.json.bak.1', 'openclaw.json.last-good']);
    expect(listBackups(home)).toEqual(plan.backups);
    expect(plan.approvals.map((d) => d.field)).toContain('approvals:defaults.security'); // no state DB yet: OpenClaw defaults
    // open the DMs while enabled: harden will switch it off as well as fix the policy
    (hardened.channels as Json).telegram = { ...((hardened.channels as Json).telegram as Json), dmPolicy: 'open' };
    writeFileSync(join(home, 'openclaw.json'), JSON.stringify(hardened));
    ({ plan } = await planHarden(t, settings));
    expect(plan.telegramEnabled).toBe(false);
    expect(plan.config.map((d) => d.field)).toEqual(expect.arrayContaining(['config:channels.telegram.dmPolicy', 'config:channels.telegram.enabled']));
  });

  it('extracts JSON from CLI output with banners around it, and names the command when there is none', () => {
    expect(parseCliJson('warn: {odd} banner\n{"a":{"b":"}"}}\ntrailing', 'x')).toEqual({ a: { b: '}' } });
    expect(() => parseCliJson('', 'approvals get --json')).toThrow(/approvals get --json` did not print JSON \(0 bytes\)/);
  });
});

describe('oss init and oss harden agree', () => {
  it('the openclaw.json oss init renders is already what harden wants in the container (no plan)', async () => {
    const { openclawConfig } = await import('../../src/render/openclaw-config');
    const rendered = JSON.parse(JSON.stringify(openclawConfig(settings))) as Json;
    expect(diffConfig(rendered, desiredState(containerTarget(work), settings))).toEqual([]);
  });
});

describe('oss harden output', () => {
  it('prints the plan, "no change", and every field that did not take', async () => {
    const { formatReport } = await import('../../src/commands/harden');
    const plan = { config: [], approvals: [], backups: [], gatewayTokenFile: 'present' as const, restart: false, telegramEnabled: false };
    const base = { target: 'local OpenClaw home /h', kind: 'local' as const, dryRun: false, changed: false, plan, steps: [], restart: null, removedBackups: [], ms: 1200 };
    const ok = formatReport({ ...base, readBack: { ok: true, differences: [], compared: 20, plaintextSecrets: [], ms: 900 } });
    expect(ok).toMatch(/plan: nothing to change/);
    expect(ok).toMatch(/^no change$/m);
    expect(ok).toMatch(/read back: every field matches the model/);
    const bad = formatReport({
      ...base,
      changed: true,
      plan: { ...plan, config: [{ field: 'config:tools.profile', expected: '"minimal"', found: '"full"' }] },
      steps: [{ step: 'config patch', ms: 5000 }],
      readBack: { ok: false, differences: [{ field: 'approvals:defaults.security', expected: '"allowlist"', found: '(absent)' }], compared: 20, plaintextSecrets: ['models.providers.x.apiKey'], ms: 900 },
    });
    expect(bad).toMatch(/config:tools\.profile: "full" -> "minimal"/);
    expect(bad).toMatch(/read back: 1 field\(s\) differ from the model:\n {2}approvals:defaults\.security: \(absent\) -> "allowlist"/);
    expect(bad).toMatch(/plaintext secrets remain in openclaw\.json at models\.providers\.x\.apiKey/);
    expect(bad).not.toMatch(/no change/);
  });
});
