// The live checks 7.21 and 10.21-10.28 as data: a hardened view passes, each mutation
// fails with its id (KICS-style positive/negative fixtures). Views are built from the
// model, as the openclaw-state provider builds them from a real home.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import c721 from '../../checks/7/7.21-telegram-live-block';
import c1021 from '../../checks/10/10.21-exec-approvals-defaults';
import c1022 from '../../checks/10/10.22-allowlist-exactly-wrappers';
import c1023 from '../../checks/10/10.23-tools-policy-effective';
import c1024 from '../../checks/10/10.24-gateway-auth-exposure';
import c1025 from '../../checks/10/10.25-no-plaintext-secret-copies';
import c1026 from '../../checks/10/10.26-effective-exec-policy';
import c1027 from '../../checks/10/10.27-openclaw-security-audit';
import c1028 from '../../checks/10/10.28-redteam-fenced';
import { REPLACE_PATHS, desiredState } from '../../src/openclaw/desired';
import { configPatch } from '../../src/openclaw/harden';
import type { OpenClawStateView } from '../../src/openclaw/provider';
import type { Json } from '../../src/openclaw/state';
import { localTarget } from '../../src/openclaw/target';
import { parseSettings } from '../../src/stack/settings';
import type { CheckContext, CheckDefinition } from '../../src/verify/check';

const work = mkdtempSync(join(tmpdir(), 'oss-live-checks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const settings = parseSettings({ telegram: { operatorIds: ['42'] } });
const target = localTarget(work);

function merge(cfg: Json, patch: Json, prefix = ''): Json {
  const out: Json = { ...cfg };
  for (const [k, v] of Object.entries(patch)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === null) delete out[k];
    else if ((REPLACE_PATHS as readonly string[]).includes(path) || typeof v !== 'object' || Array.isArray(v)) out[k] = v;
    else out[k] = merge((out[k] as Json) ?? {}, v as Json, path);
  }
  return out;
}

function hardenedView(): OpenClawStateView {
  const desired = desiredState(target, settings);
  const config = structuredClone(merge({ agents: { entries: { main: { name: 'main' } } } }, configPatch(desired, {})));
  return { target, configFile: join(work, 'openclaw.json'), config, approvals: { exists: true, file: structuredClone(desired.approvals) }, backups: [], desired };
}

function ctx(live: Record<string, unknown>): CheckContext {
  const views = Object.fromEntries(Object.entries(live).map(([k, v]) => [k, async () => v]));
  return { dir: work, settings, files: { dir: work } as CheckContext['files'], live: views };
}

async function status(check: CheckDefinition, view: OpenClawStateView) {
  const r = await check.run(ctx({ 'openclaw-state': view }));
  return { status: r.status, text: JSON.stringify(r.evidence) };
}

const stateChecks = [c721, c1021, c1022, c1023, c1024, c1025];

describe('live checks 7.21 and 10.21-10.25 (state read from disk)', () => {
  it.each(stateChecks.map((c) => [c.id, c] as const))('%s passes on the hardened state', async (_id, check) => {
    expect((await status(check, hardenedView())).status).toBe('pass');
  });

  it.each([c1021, c1022].map((c) => [c.id, c] as const))('%s is skipped (not passed) while OpenClaw has never started on the dir', async (_id, check) => {
    const v = hardenedView();
    v.approvals = { exists: false, neverStarted: true, file: { version: 1, defaults: {}, agents: {} } };
    const r = await check.run(ctx({ 'openclaw-state': v }));
    expect(r.status).toBe('skip');
    expect(r.reason).toMatch(/has not started.*oss harden/);
  });

  const mutations: [string, CheckDefinition, (v: OpenClawStateView) => void, RegExp][] = [
    ['security full in the approvals defaults', c1021, (v) => void (v.approvals.file.defaults!.security = 'full'), /full/],
    ['no approvals stored at all', c1021, (v) => void (v.approvals = { exists: false, file: {} }), /never set/],
    ['a per-agent askFallback override', c1021, (v) => void ((v.approvals.file.agents!.main as Json).askFallback = 'full'), /askFallback/],
    ['/bin/sh on the allowlist', c1022, (v) => void v.approvals.file.agents!.main!.allowlist!.push({ pattern: '/bin/sh' }), /\/bin\/sh/],
    ['a wildcard agent entry', c1022, (v) => void (v.approvals.file.agents!['*'] = { allowlist: [{ pattern: '/usr/bin/*' }] }), /agents\.\*/],
    ['deploy-staging allowed any argument', c1022, (v) => void delete v.approvals.file.agents!.main!.allowlist!.find((e) => e.pattern.endsWith('deploy-staging.sh'))!.argPattern, /deploy-staging/],
    ['read dropped from deny', c1023, (v) => void ((v.config.tools as Json).deny = ((v.config.tools as Json).deny as string[]).filter((t) => t !== 'read')), /tools\.deny/],
    ['an unknown tool name in deny', c1023, (v) => void ((v.config.tools as Json).deny as string[]).push('image'), /not a tool of this OpenClaw/],
    ['allow instead of alsoAllow (no tools left)', c1023, (v) => void ((v.config.tools as Json).allow = ['exec'], delete (v.config.tools as Json).alsoAllow), /no exec tool/],
    ['a per-agent tools override', c1023, (v) => void (((v.config.agents as Json).entries as Json).main = { tools: { profile: 'full' } }), /per-agent/],
    ['gateway token in plaintext', c1024, (v) => void (((v.config.gateway as Json).auth as Json).token = 'abc'), /plaintext secret/],
    ['exec exposed over HTTP', c1024, (v) => void (((v.config.gateway as Json).tools as Json).allow = ['exec']), /gateway\.tools\.allow/],
    ['bind auto', c1024, (v) => void delete (v.config.gateway as Json).bind, /gateway\.bind/],
    ['a plaintext model key', c1025, (v) => void (v.config.models = { providers: { x: { apiKey: 'sk-live' } } }), /models\.providers\.x\.apiKey/],
    ['open DMs', c721, (v) => void (((v.config.channels as Json).telegram as Json).dmPolicy = 'open'), /dmPolicy/],
    ['a group without mention', c721, (v) => void (((v.config.channels as Json).telegram as Json).groups = { '-100': { requireMention: false } }), /requireMention/],
    ['a plaintext bot token', c721, (v) => void (((v.config.channels as Json).telegram as Json).botToken = '1:x'), /botToken/],
  ];

  it.each(mutations)('%s fails its check', async (_name, check, mutate, evidence) => {
    const v = hardenedView();
    mutate(v);
    const r = await status(check, v);
    expect(r.status).toBe('fail');
    expect(r.text).toMatch(evidence);
    expect(r.text).not.toContain('sk-live');
  });

  it('10.25 names a backup copy and the secrets inside it without their values', async () => {
    const v = hardenedView();
    writeFileSync(join(work, 'openclaw.json.bak.2'), JSON.stringify({ gateway: { auth: { token: 'old-secret-token' } } }));
    v.backups = ['openclaw.json.bak.2'];
    const r = await status(c1025, v);
    expect(r.status).toBe('fail');
    expect(r.text).toContain('gateway.auth.token');
    expect(r.text).not.toContain('old-secret-token');
  });

  it('a check without the state view is skipped with the reason, never passed', async () => {
    const r = await c1022.run({ ...ctx({}), live: { 'openclaw-state': async () => Promise.reject(new Error('no openclaw.json in /x')) } });
    expect(r.status).toBe('skip');
    expect(r.reason).toMatch(/no openclaw\.json/);
  });
});

describe('CLI and red-team checks', () => {
  const scope = (security: string) => ({ scopeLabel: 'tools.exec', agentId: 'main', host: { requested: 'gateway' }, security: { effective: security }, ask: { effective: 'on-miss' }, askFallback: { effective: 'deny' } });
  const cli = (security: string, findings: Json[] = []) => ({ execPolicy: { effectivePolicy: { scopes: [scope(security)] } }, audit: { summary: { critical: 0, warn: 1, info: 1 }, findings }, ms: 1 });

  it('10.26 effective policy: allowlist passes, full fails', async () => {
    expect((await c1026.run(ctx({ openclaw: cli('allowlist') }))).status).toBe('pass');
    expect((await c1026.run(ctx({ openclaw: cli('full') }))).status).toBe('fail');
  });

  it('10.27 audit: a critical fails, warnings are reported on a pass', async () => {
    const warn = { checkId: 'gateway.trusted_proxies_missing', severity: 'warn', title: 'no trusted proxies' };
    const ok = await c1027.run(ctx({ openclaw: cli('allowlist', [warn]) }));
    expect(ok.status).toBe('pass');
    expect(JSON.stringify(ok.evidence)).toContain('trusted_proxies_missing');
    const bad = await c1027.run(ctx({ openclaw: cli('allowlist', [warn, { checkId: 'gateway.bind_no_auth', severity: 'critical' }]) }));
    expect(bad.status).toBe('fail');
  });

  it('10.28 red team: any forbidden probe that ran, or an allowlist entry moved by it, fails', async () => {
    const probe = (id: string, forbidden: boolean, ok: boolean) => ({ id, label: id, forbidden, answer: ok ? 'exec denied' : 'root:x:0:0', refused: ok, leaked: !ok, ran: !forbidden, ok });
    const report = (probes: ReturnType<typeof probe>[], moved = false) => ({
      ok: false,
      target: 't',
      offeredTools: [],
      modelRequests: 1,
      probes,
      allowlistUse: [{ pattern: '/w.sh', moved, ok: !moved }],
      turn: { code: 0, ms: 1 },
      ms: 1,
    });
    expect((await c1028.run(ctx({ redteam: report([probe('exec-passwd', true, true), probe('allowed', false, true)]) }))).status).toBe('pass');
    const leak = await c1028.run(ctx({ redteam: report([probe('exec-passwd', true, false), probe('allowed', false, true)]) }));
    expect(leak.status).toBe('fail');
    expect(JSON.stringify(leak.evidence)).toContain('probe exec-passwd');
    expect((await c1028.run(ctx({ redteam: report([probe('exec-passwd', true, true)], true) }))).status).toBe('fail');
  });
});
