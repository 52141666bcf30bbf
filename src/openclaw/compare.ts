// Field-by-field comparison of OpenClaw's state with the hardened state. Used for the
// plan (what to write) and the read-back (what actually took).
import { EXEC_AGENT, execPolicy } from '../stack/model';
import type { ApprovalsDocument, DesiredState } from './desired';
import { getPath, isSecretField, type ApprovalsFile, type Json } from './state';

export interface Difference {
  /** dotted path, prefixed with the store: config:, approvals:, exec-policy: */
  field: string;
  expected: string;
  found: string;
}

export const ABSENT = '(absent)';

export function show(field: string, v: unknown): string {
  if (v === undefined) return ABSENT;
  if (typeof v === 'string' && isSecretField(field)) return '(plaintext secret)';
  return JSON.stringify(v);
}

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** arrays here are sets (deny lists, origins, operator ids): order does not matter */
function sameArray(a: unknown[], b: unknown[]): boolean {
  const key = (x: unknown[]) => x.map((v) => JSON.stringify(v)).sort().join('\n');
  return a.length === b.length && key(a) === key(b);
}

/** leaf differences between an exact expected subtree and what is there */
export function diffValue(field: string, expected: unknown, found: unknown, out: Difference[]): void {
  if (isObj(expected) && isObj(found)) {
    for (const k of new Set([...Object.keys(expected), ...Object.keys(found)])) diffValue(`${field}.${k}`, expected[k], found[k], out);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(found)) {
    if (!sameArray(expected, found)) out.push({ field, expected: show(field, expected), found: show(field, found) });
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(found)) out.push({ field, expected: show(field, expected), found: show(field, found) });
}

/** per-agent or default tool overrides that would widen the global tools policy */
export function toolOverridePaths(cfg: Json): string[] {
  const paths: string[] = [];
  if (getPath(cfg, 'agents.defaults.tools') !== undefined) paths.push('agents.defaults.tools');
  const entries = getPath(cfg, 'agents.entries');
  if (isObj(entries)) {
    for (const [id, a] of Object.entries(entries)) if (isObj(a) && a.tools !== undefined) paths.push(`agents.entries.${id}.tools`);
  }
  return paths;
}

export function diffConfig(cfg: Json, desired: DesiredState): Difference[] {
  const out: Difference[] = [];
  for (const [path, want] of Object.entries(desired.exact)) diffValue(path, want, getPath(cfg, path), out);
  for (const path of [...desired.absent, ...toolOverridePaths(cfg)]) {
    out.push({ field: path, expected: ABSENT, found: show(path, getPath(cfg, path)) });
  }
  return out.map((d) => ({ ...d, field: `config:${d.field}` }));
}

type EntryKeyed = { pattern: string; argPattern?: string; id?: string };
const entryKey = (e: EntryKeyed, withId: boolean) =>
  JSON.stringify([e.pattern, e.argPattern ?? null, ...(withId ? [e.id ?? null] : [])]);

/**
 * Approvals differences. `withIds` (the plan) also requires oss's fixed entry ids so a
 * rerun is byte-stable; the read-back compares patterns only (lastUsed* fields move).
 */
export function diffApprovals(file: ApprovalsFile, want: ApprovalsDocument, withIds: boolean): Difference[] {
  const out: Difference[] = [];
  const d = (field: string, expected: unknown, found: unknown) =>
    out.push({ field: `approvals:${field}`, expected: show(field, expected), found: show(field, found) });
  for (const [k, v] of Object.entries(want.defaults)) {
    const got = file.defaults?.[k];
    if (got !== v) d(`defaults.${k}`, v, got);
  }
  for (const k of Object.keys(file.defaults ?? {})) if (!(k in want.defaults)) d(`defaults.${k}`, undefined, file.defaults?.[k]);
  const agents = Object.keys(file.agents ?? {});
  for (const id of agents) if (!(id in want.agents)) d(`agents.${id}`, undefined, summarizeAgent(file.agents?.[id]));
  for (const [id, wantAgent] of Object.entries(want.agents)) {
    const got = file.agents?.[id];
    for (const k of Object.keys(got ?? {})) if (k !== 'allowlist') d(`agents.${id}.${k}`, undefined, got?.[k]);
    const have = (got?.allowlist ?? []).map((e) => entryKey(e, withIds)).sort();
    const need = wantAgent.allowlist.map((e) => entryKey(e, withIds)).sort();
    if (have.join('\n') !== need.join('\n')) {
      d(`agents.${id}.allowlist`, wantAgent.allowlist.map((e) => describeEntry(e)), (got?.allowlist ?? []).map((e) => describeEntry(e)));
    }
  }
  return out;
}

function describeEntry(e: EntryKeyed): string {
  return e.argPattern !== undefined ? `${e.pattern} args ${e.argPattern}` : e.pattern;
}

function summarizeAgent(a: unknown): unknown {
  if (!isObj(a)) return a;
  const list = Array.isArray(a.allowlist) ? (a.allowlist as EntryKeyed[]).map(describeEntry) : undefined;
  return { ...a, ...(list ? { allowlist: list } : {}) };
}

interface PolicyScope {
  scopeLabel?: string;
  agentId?: string;
  host?: { requested?: string };
  security?: { effective?: string };
  ask?: { effective?: string };
  askFallback?: { effective?: string };
}

/** `exec-policy show --json` (or approvals get's effectivePolicy): every scope must be the model's */
export function diffEffectivePolicy(policy: { effectivePolicy?: { scopes?: PolicyScope[] } }): Difference[] {
  const out: Difference[] = [];
  const scopes = policy.effectivePolicy?.scopes ?? [];
  if (scopes.length === 0) out.push({ field: 'exec-policy:scopes', expected: 'at least one scope', found: '[]' });
  if (!scopes.some((s) => s.agentId === EXEC_AGENT)) {
    out.push({ field: 'exec-policy:scopes', expected: `a scope for agent ${EXEC_AGENT}`, found: JSON.stringify(scopes.map((s) => s.agentId)) });
  }
  for (const s of scopes) {
    const tag = `exec-policy:${s.scopeLabel ?? '?'}/${s.agentId ?? '?'}`;
    const eq = (f: string, want: string, got: string | undefined) => {
      if (got !== want) out.push({ field: `${tag}.${f}`, expected: JSON.stringify(want), found: show(f, got) });
    };
    eq('host.requested', execPolicy.host, s.host?.requested);
    eq('security.effective', execPolicy.security, s.security?.effective);
    eq('ask.effective', execPolicy.ask, s.ask?.effective);
    eq('askFallback.effective', execPolicy.askFallback, s.askFallback?.effective);
  }
  return out;
}

/** the Telegram block minus `enabled`: is it configured exactly as the model says? */
export function telegramConfigured(cfg: Json, want: Json): boolean {
  const have = getPath(cfg, 'channels.telegram');
  if (!isObj(have)) return false;
  const out: Difference[] = [];
  diffValue('t', { ...want, enabled: undefined }, { ...have, enabled: undefined }, out);
  return out.length === 0;
}
