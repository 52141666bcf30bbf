// Waivers: oss-waivers.yaml in the stack dir lists {id, reason, expires: YYYY-MM-DD}.
// A waived failing check is shown as waived; an expired waiver fails its check; a waiver
// for an id the registry does not have is bad input (exit 2).
import { parseDocument } from 'yaml';
import { OssError } from '../errors';
import { WAIVERS_FILE } from '../stack/model';

export interface Waiver {
  id: string;
  reason: string;
  /** YYYY-MM-DD; the waiver holds through the end of that day (UTC) */
  expires: string;
}

export const WAIVERS_EXAMPLE = `waivers:
  - id: C.13
    reason: "init process not needed for the socket proxy (ticket OPS-123)"
    expires: 2026-12-31`;

function bad(msg: string): OssError {
  return new OssError(`${WAIVERS_FILE}: ${msg}`, { hint: `each waiver needs id, reason and expires (YYYY-MM-DD), e.g.\n${WAIVERS_EXAMPLE}` });
}

/** parse the waivers file text; null text means no file */
export function parseWaivers(text: string | null, knownIds: ReadonlySet<string>): Waiver[] {
  if (text === null) return [];
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw bad(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const raw = doc.toJS() as unknown;
  if (raw === null || raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : (raw as { waivers?: unknown }).waivers;
  if (!Array.isArray(list)) throw bad('expected a list under "waivers:"');
  const seen = new Set<string>();
  return list.map((w, i) => {
    const where = `waiver #${i + 1}`;
    if (!w || typeof w !== 'object') throw bad(`${where} is not a mapping`);
    const { id, reason, expires } = w as Record<string, unknown>;
    const idStr = typeof id === 'number' ? String(id) : id;
    if (typeof idStr !== 'string' || !idStr) throw bad(`${where} has no id`);
    if (!knownIds.has(idStr)) throw bad(`${where}: unknown check id "${idStr}" (run \`oss verify --json\` to list the ids)`);
    if (seen.has(idStr)) throw bad(`${where}: check ${idStr} is waived twice`);
    seen.add(idStr);
    if (typeof reason !== 'string' || reason.trim().length < 3) throw bad(`${where} (${idStr}) needs a reason`);
    const exp = expires instanceof Date ? expires.toISOString().slice(0, 10) : expires;
    if (typeof exp !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(exp) || Number.isNaN(Date.parse(`${exp}T00:00:00Z`)) || new Date(`${exp}T00:00:00Z`).toISOString().slice(0, 10) !== exp) {
      throw bad(`${where} (${idStr}): expires must be a date YYYY-MM-DD`);
    }
    return { id: idStr, reason: reason.trim(), expires: exp };
  });
}

export function waiverExpired(w: Waiver, now: Date): boolean {
  return now.getTime() >= Date.parse(`${w.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}
