import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { JOURNAL_FILE } from '../../src/secrets/journal';
import { ROTATION_LOCK_FILE } from '../../src/secrets/rotate';
import { STAGED_DIR } from '../../src/secrets/store';
import { SECRETS_DIR } from '../../src/stack/model';

export default defineCheck({
  id: '8.1',
  control: 8,
  title: 'No unfinished secret rotation (journal, staged values, stale lock)',
  severity: 'high',
  needs: ['files'],
  rationale:
    'An interrupted `oss rotate-secrets` leaves its journal and the staged new values (with copies of the old ones, for the proof) in secrets/.staged/. Until a run completes it, some consumers may hold a token the others no longer accept, and the old values still sit on disk.',
  remediation: 'Run `oss rotate-secrets --dir <dir>` again: it completes (or rolls back) the interrupted rotation first, then removes the journal and the staged values.',
  run(ctx) {
    const out: Evidence[] = [];
    const journal = ctx.files.text(JOURNAL_FILE);
    if (journal !== null) {
      let phase = 'unreadable';
      let started = '?';
      try {
        const j = JSON.parse(journal) as { phase?: string; startedAt?: string };
        phase = String(j.phase);
        started = String(j.startedAt);
      } catch {
        /* reported as unreadable */
      }
      out.push({ file: JOURNAL_FILE, found: `phase ${phase}, started ${started}`, expected: 'absent', message: 'a secret rotation was interrupted and not completed' });
    }
    const staged = `${SECRETS_DIR}/${STAGED_DIR}`;
    if (existsSync(join(ctx.dir, staged))) out.push({ file: staged, found: 'present', expected: 'absent', message: 'staged secret values (new and old) are left on disk' });
    const lock = join(ctx.dir, ROTATION_LOCK_FILE);
    if (existsSync(lock)) {
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      } catch {
        /* unreadable: treat as stale */
      }
      let alive = false;
      try {
        if (Number.isInteger(holder) && holder > 0) {
          process.kill(holder, 0);
          alive = true;
        }
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === 'EPERM';
      }
      out.push({ file: ROTATION_LOCK_FILE, found: alive ? `held by running pid ${holder}` : 'left by a process that is gone', expected: 'absent', message: alive ? 'a rotation is running right now' : 'a rotation was killed while holding its lock' });
    }
    return verdict(out, 'no rotation journal, staged values or lock');
  },
});
