// Small helpers the check modules share, so each check reads as its rule.
import type { CheckContext, Evidence } from './check';
import { formatPath, isObject, type ComposeProject, type Json, type Service } from './compose';
import type { ServiceKey } from '../stack/model';
import { layout } from '../stack/layout';
import type { KeyPath, YamlSource } from './yaml-source';

export interface ServiceRef {
  name: string;
  key: ServiceKey | undefined;
  svc: Service;
  /** evidence at services.<name>.<rest> */
  at(rest: KeyPath, e: Omit<Evidence, 'file' | 'line' | 'path'>): Evidence;
}

/** run `rule` over every service of the effective compose project and collect findings */
export function eachService(ctx: CheckContext, rule: (s: ServiceRef, compose: ComposeProject) => Evidence[] | Evidence | null | undefined): Evidence[] {
  const compose = ctx.files.compose();
  const out: Evidence[] = [];
  for (const s of compose.services()) {
    const ref: ServiceRef = { ...s, at: (rest, e) => compose.at(['services', s.name, ...rest], e) };
    const r = rule(ref, compose);
    if (Array.isArray(r)) out.push(...r);
    else if (r) out.push(r);
  }
  return out;
}

export const show = (v: Json | undefined): string => (v === undefined ? 'absent' : JSON.stringify(v));

/** value at a dotted key path of a parsed JSON/YAML object */
export function getPath(data: unknown, path: KeyPath): unknown {
  let cur = data;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** evidence at a key path of openclaw.json */
export function atOpenclaw(src: YamlSource, path: KeyPath, e: Omit<Evidence, 'file' | 'line' | 'path'>): Evidence {
  return { file: layout.gateway.openclawConfig, line: src.lineOf(path), path: formatPath(path), ...e };
}

export function asStringArray(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

export { isObject };
