// OpenClaw's state read directly from disk (milliseconds, no CLI): openclaw.json, the
// approvals row of state/openclaw.sqlite, and the config backup copies beside the config.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OssError } from '../errors';
import { gateway } from '../stack/model';
import { queryReadOnly } from './sqlite';

export type Json = Record<string, unknown>;

export const STATE_DB = 'state/openclaw.sqlite';

export function configPath(stateDir: string): string {
  return join(stateDir, gateway.configFile);
}

export function readConfigFile(stateDir: string): Json {
  const file = configPath(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OssError(`cannot read ${file}: ${(err as Error).message}`, {
      hint: 'point --dir at the stack (or --openclaw-home at an onboarded OpenClaw home)',
    });
  }
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new OssError(`${file} is not valid JSON: ${(err as Error).message}`, {
      hint: 'OpenClaw writes standard JSON; restore the file or run `oss harden` after fixing it',
      exitCode: 1,
    });
  }
}

export interface ApprovalsEntry {
  id?: string;
  pattern: string;
  argPattern?: string;
  lastUsedAt?: number | string;
  lastUsedCommand?: string;
  lastResolvedPath?: string;
}

export interface ApprovalsFile {
  version?: number;
  defaults?: Record<string, unknown>;
  agents?: Record<string, { allowlist?: ApprovalsEntry[]; [k: string]: unknown }>;
}

/** the approvals document from the state DB; the socket token is dropped on read */
/** `neverStarted`: no state DB at all, i.e. OpenClaw has not run on this state dir yet */
export async function readApprovalsState(stateDir: string): Promise<{ exists: boolean; neverStarted?: boolean; file: ApprovalsFile }> {
  const db = join(stateDir, STATE_DB);
  const none = { exists: false, file: { version: 1, defaults: {}, agents: {} } };
  if (!existsSync(db)) return { ...none, neverStarted: true }; // OpenClaw creates it on first use: defaults apply (full exec)
  let rows;
  try {
    rows = await queryReadOnly(db, "SELECT raw_json FROM exec_approvals_config WHERE config_key = 'current'");
  } catch (err) {
    if (/no such table/i.test((err as Error).message)) return none;
    throw err;
  }
  const raw = rows[0]?.raw_json;
  if (typeof raw !== 'string') return none;
  const parsed = JSON.parse(raw) as ApprovalsFile & { socket?: unknown };
  delete parsed.socket;
  return { exists: true, file: parsed };
}

const BACKUP_RE = /^openclaw\.json\.(bak(\.\d+)?|last-good|rejected\..+|clobbered\..+)$/;

/** config copies OpenClaw leaves beside openclaw.json (each holds the secrets the config had then) */
export function listBackups(stateDir: string): string[] {
  try {
    return readdirSync(stateDir).filter((f) => BACKUP_RE.test(f)).sort();
  } catch {
    return [];
  }
}

/** dotted-path lookup */
export function getPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[k];
  }
  return cur;
}

/** secret-bearing config fields: values here are never printed */
export function isSecretField(field: string): boolean {
  return /(^|\.)(token|botToken|apiKey|password|secret|key)$/i.test(field);
}

/** plaintext secrets still in a config document (paths only) */
export function plaintextSecretPaths(cfg: Json): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (isSecretField(path) && v.length > 0) found.push(path);
      return;
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v as Json)) walk(child, path ? `${path}.${k}` : k);
    }
  };
  walk(cfg, '');
  return found;
}
