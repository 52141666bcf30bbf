// `oss rotate-secrets` core: journaled, crash-safe replacement of secret files.
//
// Order of a run (each arrow is a durable write; a crash anywhere is repaired by the next run):
//   journal(preparing) -> stage new values in secrets/.staged/ (old copies beside them, for
//   the proof) -> journal(committing)  [commit point] -> rename each staged file over its
//   live file -> journal(restarting) -> restart consumers in model order, each healthy before
//   the next -> journal(verifying) -> prove -> journal(cleaning) -> remove .staged/ -> remove
//   journal. Before the commit point a crash is rolled back (nothing live changed); after it
//   the run is rolled forward, so gateway and bridge always end on the same bridge token.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ExitCode, OssError } from '../errors';
import { layout } from '../stack/layout';
import { secretByName, secretPath, secrets, type SecretName, type ServiceKey } from '../stack/model';
import { assertSafeTarget, fsyncDir } from './atomic-write';
import { noFaults, type FaultPoint } from './faults';
import { journalPath, readJournal, removeJournal, writeJournal, type RotationJournal, type RotationPhase } from './journal';
import { scanFiles, scanProcesses, type LeakFinding, type Needle } from './leaks';
import type { ProofItem } from './live-proof';
import { consumersOf, healthTimeoutMs, type ServiceController } from './services';
import {
  assertRealDir,
  assertStackDir,
  ensureSecretDir,
  generateToken,
  readSecret,
  readSecretAt,
  removeTempLeftovers,
  secretFile,
  secretsDir,
  stagedDir,
  stagedFile,
  writeSecretAt,
} from './store';

/** secrets rotated when --only is not given: the ones oss generates */
export const defaultRotationNames = (): SecretName[] => secrets.filter((s) => s.source === 'generated').map((s) => s.name);

export interface RotateOptions {
  dir: string;
  /** requested names (ignored when an interrupted rotation is completed instead) */
  names: SecretName[];
  /** new values of operator-supplied secrets among `names` */
  supplied?: Partial<Record<SecretName, string>>;
  restart: boolean;
  controller?: ServiceController;
  /** live proof after the restarts; given old and new values of the rotated names */
  prove?: (before: Partial<Record<SecretName, string>>, after: Partial<Record<SecretName, string>>) => Promise<ProofItem[]>;
  fault?: FaultPoint;
  log?: (line: string) => void;
  /** pids whose environ legitimately holds a supplied value (the operator's env var) */
  skipEnvironOf?: number[];
}

export interface RotateResult {
  ok: boolean;
  rotated: SecretName[];
  /** an interrupted rotation found at start, and what this run did with it */
  recovered?: { id: string; phase: RotationPhase; action: 'rolled-back' | 'completed' };
  restarted: ServiceKey[];
  /** consumers still running with the old values (--no-restart) */
  mustRestart: ServiceKey[];
  proof: ProofItem[];
  leaks: LeakFinding[];
}

const previousFile = (dir: string, name: SecretName) => `${stagedFile(dir, name)}.previous`;
/** held while a rotation runs (pid inside); a stale one is taken over */
export const ROTATION_LOCK_FILE = `${layout.stateDir}/rotation.lock`;

/** the fault points of a plan, in the order a run reaches them (tests crash at each) */
export function rotationSteps(names: readonly SecretName[], restart: boolean): string[] {
  const steps = ['journal-temp:preparing', 'journal:preparing'];
  for (const n of names) steps.push(`stage-temp:${n}`, `staged:${n}`);
  steps.push('journal-temp:committing', 'journal:committing');
  for (const n of names) steps.push(`committed:${n}`);
  if (restart) {
    steps.push('journal:restarting');
    for (const s of consumersOf(names)) steps.push(`restarted:${s}`);
    steps.push('journal:verifying', 'verified');
  }
  steps.push('journal:cleaning', 'staged-removed', 'journal-removed');
  return steps;
}

/** an unfinished rotation that the next run will roll forward (null: none, or it will be rolled back) */
export function pendingRollForward(dir: string): RotationJournal | null {
  const j = readJournal(dir);
  return j && j.phase !== 'preparing' ? j : null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** one rotation at a time per stack dir; a lock left by a killed run is taken over */
function acquireLock(dir: string): () => void {
  const path = join(dir, ROTATION_LOCK_FILE);
  // the journal and lock are never written through a linked state dir
  if (!assertRealDir(join(dir, layout.stateDir))) mkdirSync(join(dir, layout.stateDir), { mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new OssError(`another oss process (pid ${holder}) is rotating secrets in ${dir}`, {
          hint: 'wait for it to finish; if no such process exists, remove .oss/rotation.lock',
        });
      }
      rmSync(path, { force: true });
    }
  }
  throw new OssError(`cannot take the rotation lock ${path}`, { hint: 'remove it and run again' });
}

/** repair what an interrupted run left: temp files always; a pre-commit rotation rolled back */
function recover(dir: string, log: (l: string) => void): { resume: RotationJournal | null; rolledBack: RotationJournal | null } {
  for (const d of [secretsDir(dir), stagedDir(dir), join(dir, layout.stateDir)]) {
    const removed = removeTempLeftovers(d);
    if (removed.length) log(`removed ${removed.length} temp file(s) left by an interrupted write in ${d}`);
  }
  const journal = readJournal(dir);
  if (!journal) {
    if (existsSync(stagedDir(dir))) {
      rmSync(stagedDir(dir), { recursive: true, force: true });
      fsyncDir(secretsDir(dir));
      log('removed staged values left without a journal');
    }
    return { resume: null, rolledBack: null };
  }
  if (journal.phase === 'preparing') {
    rmSync(stagedDir(dir), { recursive: true, force: true });
    fsyncDir(secretsDir(dir));
    removeJournal(dir);
    log(`rolled back an interrupted rotation (${journal.id}, started ${journal.startedAt}): no live secret had changed`);
    return { resume: null, rolledBack: journal };
  }
  log(`completing an interrupted rotation (${journal.id}, started ${journal.startedAt}, phase ${journal.phase})`);
  return { resume: journal, rolledBack: null };
}

export async function rotateSecrets(opts: RotateOptions): Promise<RotateResult> {
  const { dir } = opts;
  const fault = opts.fault ?? noFaults;
  const log = opts.log ?? (() => {});
  assertStackDir(dir);
  // refuse links and odd files before anything changes (the journal may name others: checked again below)
  for (const n of opts.names) assertSafeTarget(secretFile(dir, n));
  const release = acquireLock(dir);
  try {
    const { resume, rolledBack } = recover(dir, log);
    const resumedPhase = resume?.phase;
    let journal: RotationJournal;
    const before: Partial<Record<SecretName, string>> = {};

    if (resume) {
      journal = resume;
      for (const n of journal.names) {
        const prev = readSecretAt(previousFile(dir, n));
        if (prev !== null) before[n] = prev;
      }
    } else {
      const names = [...new Set(opts.names)];
      if (names.length === 0) throw new OssError('nothing to rotate', { hint: 'name secrets with --only, or leave it out to rotate the generated tokens' });
      // refuse links and odd files before anything changes
      for (const n of names) assertSafeTarget(secretFile(dir, n));
      const fresh: Partial<Record<SecretName, string>> = {};
      for (const n of names) {
        const model = secretByName(n)!;
        const value = model.source === 'generated' ? generateToken() : opts.supplied?.[n];
        if (!value) {
          throw new OssError(`no new value for ${n}`, { hint: `${n} is supplied by the operator: give it on stdin${model.envVar ? ` or in ${model.envVar}` : ''}` });
        }
        const old = readSecret(dir, n);
        if (old !== null && old === value) throw new OssError(`the new value for ${n} is the same as the current one`, { hint: 'supply the new key, not the old one' });
        if (old !== null && old !== '') before[n] = old;
        fresh[n] = value;
      }
      journal = {
        version: 1,
        id: randomBytes(6).toString('hex'),
        startedAt: new Date().toISOString(),
        phase: 'preparing',
        names,
        restart: opts.restart,
        services: consumersOf(names),
        restarted: [],
      };
      save(dir, journal, fault);
      ensureSecretDir(stagedDir(dir));
      for (const n of names) {
        if (before[n] !== undefined) writeSecretAt(previousFile(dir, n), before[n]!);
        writeSecretAt(stagedFile(dir, n), fresh[n]!, () => fault(`stage-temp:${n}`));
        fault(`staged:${n}`);
      }
      fsyncDir(stagedDir(dir));
      journal.phase = 'committing';
      save(dir, journal, fault); // the commit point
    }

    if (journal.phase === 'committing') {
      for (const n of journal.names) {
        const staged = stagedFile(dir, n);
        if (existsSync(staged)) {
          assertSafeTarget(secretFile(dir, n));
          renameSync(staged, secretFile(dir, n));
          fsyncDir(secretsDir(dir));
        } else if (readSecret(dir, n) === null) {
          throw new OssError(`rotation ${journal.id}: neither a staged nor a live value exists for ${n}`, {
            hint: `the stack dir was changed during the rotation; restore secrets/${n} and run again`,
          });
        }
        fault(`committed:${n}`);
      }
      journal.phase = journal.restart && opts.restart ? 'restarting' : 'cleaning';
      save(dir, journal, fault);
    }

    const after: Partial<Record<SecretName, string>> = {};
    for (const n of journal.names) after[n] = readSecret(dir, n) ?? '';

    const restart = journal.restart && opts.restart;
    const proof: ProofItem[] = [];
    if (journal.phase === 'restarting' && restart) {
      const controller = opts.controller;
      if (!controller) throw new OssError('no way to restart services', { exitCode: ExitCode.usage });
      for (const svc of journal.services) {
        if (journal.restarted.includes(svc)) continue;
        log(`restarting ${svc}`);
        await controller.restart(svc);
        await controller.waitHealthy(svc, healthTimeoutMs(svc));
        log(`${svc} is healthy`);
        fault(`restarted:${svc}`);
        journal.restarted.push(svc);
        save(dir, journal, fault, false);
      }
      journal.phase = 'verifying';
      save(dir, journal, fault);
    }
    if (journal.phase === 'verifying' || (journal.phase === 'restarting' && !restart)) {
      if (restart && opts.prove) proof.push(...(await opts.prove(before, after)));
      fault('verified');
      journal.phase = 'cleaning';
      save(dir, journal, fault);
    }

    // cleaning
    rmSync(stagedDir(dir), { recursive: true, force: true });
    fsyncDir(secretsDir(dir));
    fault('staged-removed');
    removeJournal(dir);
    fault('journal-removed');

    const needles: Needle[] = [];
    for (const n of journal.names) {
      if (before[n] && before[n] !== after[n]) needles.push({ label: `old ${n}`, value: before[n]! });
      if (after[n]) needles.push({ label: `new ${n}`, value: after[n]!, home: secretPath(n) });
    }
    const leaks = [...scanFiles(dir, needles).findings, ...scanProcesses(needles, { skipEnvironOf: opts.skipEnvironOf })];
    const restarted = journal.restarted;
    return {
      ok: leaks.length === 0 && proof.every((p) => p.ok),
      rotated: journal.names,
      recovered: resume ? { id: resume.id, phase: resumedPhase!, action: 'completed' } : rolledBack ? { id: rolledBack.id, phase: rolledBack.phase, action: 'rolled-back' } : undefined,
      restarted,
      mustRestart: restart ? [] : journal.services.filter((s) => !restarted.includes(s)),
      proof,
      leaks,
    };
  } finally {
    release();
  }
}

function save(dir: string, journal: RotationJournal, fault: FaultPoint, announce = true): void {
  writeJournal(dir, journal, () => fault(`journal-temp:${journal.phase}`));
  if (announce) fault(`journal:${journal.phase}`);
}

export { journalPath };
