// The rotation journal: .oss/rotation.json (0600, written atomically). It holds the plan
// and how far the run got, never a secret value. A run that finds one repairs first:
// before the commit point it rolls back (drops the staged values), after it rolls forward.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OssError } from '../errors';
import { SECRET_FILE_MODE, secretByName, services, type SecretName, type ServiceKey } from '../stack/model';
import { layout } from '../stack/layout';
import { fsyncDir, writeFileAtomic } from './atomic-write';

export const JOURNAL_FILE = `${layout.stateDir}/rotation.json`;

/**
 * preparing  -> new values are being staged; nothing live has changed (roll back)
 * committing -> every new value is staged; live files are being replaced (roll forward)
 * restarting -> live files are final; consumers are being restarted in order
 * verifying  -> consumers restarted; the proof is running
 * cleaning   -> staged values and old copies are being removed
 */
export type RotationPhase = 'preparing' | 'committing' | 'restarting' | 'verifying' | 'cleaning';
export const phases: readonly RotationPhase[] = ['preparing', 'committing', 'restarting', 'verifying', 'cleaning'];

export interface RotationJournal {
  version: 1;
  id: string;
  startedAt: string;
  phase: RotationPhase;
  /** secrets this rotation replaces */
  names: SecretName[];
  /** false for --no-restart */
  restart: boolean;
  /** consumers to restart, in order */
  services: ServiceKey[];
  /** consumers already restarted */
  restarted: ServiceKey[];
}

export function journalPath(dir: string): string {
  return join(dir, JOURNAL_FILE);
}

export function writeJournal(dir: string, journal: RotationJournal, beforeRename?: () => void): void {
  const path = journalPath(dir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`, { mode: SECRET_FILE_MODE, beforeRename });
}

export function removeJournal(dir: string): void {
  const path = journalPath(dir);
  rmSync(path, { force: true });
  try {
    fsyncDir(dirname(path));
  } catch {
    /* directory gone: nothing to sync */
  }
}

function isJournal(v: unknown): v is RotationJournal {
  if (v === null || typeof v !== 'object') return false;
  const j = v as Record<string, unknown>;
  return (
    j.version === 1 &&
    typeof j.id === 'string' &&
    typeof j.startedAt === 'string' &&
    phases.includes(j.phase as RotationPhase) &&
    Array.isArray(j.names) &&
    j.names.every((n) => typeof n === 'string' && secretByName(n) !== undefined) &&
    typeof j.restart === 'boolean' &&
    Array.isArray(j.services) &&
    j.services.every((s) => typeof s === 'string' && s in services) &&
    Array.isArray(j.restarted) &&
    j.restarted.every((s) => typeof s === 'string' && s in services)
  );
}

/** the journal of an unfinished rotation, or null */
export function readJournal(dir: string): RotationJournal | null {
  const path = journalPath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isJournal(parsed)) {
    throw new OssError(`${path} is not a rotation journal oss can read`, {
      hint: `oss writes it atomically, so it was edited by hand; restore it or remove it, check that the files in secrets/ are what you expect, and run \`oss rotate-secrets\` again`,
    });
  }
  return parsed;
}
