// `oss init` core: render, compare with disk and manifest, then write only what should
// change. Everything is checked before the first write, so bad input changes nothing.
import { chownSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { OssError } from '../errors';
import { lstatOrNull, writeFileAtomic } from '../secrets/atomic-write';
import { applySecrets, planSecrets, type SecretPlan } from '../secrets/ensure';
import { layout } from '../stack/layout';
import { RUNTIME_GID, RUNTIME_UID, SETTINGS_FILE, socketProxy } from '../stack/model';
import { loadSettings, parseSettings, type Settings } from '../stack/settings';
import { modeString, readManifest, serializeManifest, sha256, type Manifest } from './manifest';
import { renderStack, type AssetReader, type RenderedFile } from './stack';
import type { HostFacts } from './vars';
import { ossVersion } from './vars';

export type FileAction = 'create' | 'update' | 'unchanged' | 'edited' | 'overwrite';

export interface FilePlan {
  path: string;
  action: FileAction;
  /** unified diff (disk -> rendered) for edited/overwritten files */
  diff?: string;
}

export interface InitOptions {
  dir: string;
  /** settings overrides from the command line (merged into oss.yaml) */
  overrides?: { telegramIds?: string[]; port?: number; workspace?: string };
  force?: boolean;
  dryRun?: boolean;
  host?: HostFacts;
  read?: AssetReader;
}

export interface InitResult {
  dir: string;
  dryRun: boolean;
  settings: { action: 'create' | 'update' | 'unchanged' };
  files: FilePlan[];
  secrets: SecretPlan[];
  changed: boolean;
}

export function defaultStackDir(): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? '/opt/openclaw-stack' : resolve('openclaw-stack');
}

export function hostFacts(): HostFacts {
  try {
    return { dockerSocketGid: statSync(socketProxy.dockerSocket).gid };
  } catch {
    return { dockerSocketGid: 0 };
  }
}

/** the stack dir must be a directory we can write, or creatable */
function checkStackDir(dir: string): void {
  const st = (() => {
    try {
      return statSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new OssError(`cannot access ${dir}: ${(err as Error).message}`, { hint: 'check the path and its permissions' });
    }
  })();
  if (st && !st.isDirectory()) {
    throw new OssError(`${dir} exists and is not a directory`, { hint: 'pass --dir with a directory path (or a path that does not exist yet)' });
  }
  let probeDir = dir;
  if (!st) {
    probeDir = dirname(dir);
    while (!lstatOrNull(probeDir)) probeDir = dirname(probeDir);
    if (!statSync(probeDir).isDirectory()) {
      throw new OssError(`cannot create ${dir}: ${probeDir} is not a directory`, { hint: 'pass --dir with a path under a directory' });
    }
  }
  // a real write probe: access(2) says yes to root even on read-only or immutable dirs
  const probe = join(probeDir, `.oss-probe-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (err) {
    throw new OssError(`cannot write to ${probeDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: `run as a user who can write ${probeDir}, or pass another --dir`,
    });
  }
}

/** every path component below the stack dir must be a real directory, every target a plain file */
function checkTargets(dir: string, paths: string[]): void {
  for (const rel of paths) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const p = join(dir, ...parts.slice(0, i));
      const st = lstatOrNull(p);
      if (st && !st.isDirectory()) {
        throw new OssError(`${p} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}`, {
          hint: `oss writes only into real directories: move ${p} away and run again`,
        });
      }
    }
    const st = lstatOrNull(join(dir, rel));
    if (st && st.isSymbolicLink()) {
      throw new OssError(`${join(dir, rel)} is a symlink`, { hint: `oss never writes through a link: remove it and run again` });
    }
    if (st && !st.isFile()) throw new OssError(`${join(dir, rel)} is not a regular file`, { hint: 'move it away and run again' });
  }
}

function mergeSettings(base: Settings, o: InitOptions['overrides'] = {}, source: string): Settings {
  const raw = structuredClone(base) as Record<string, any>;
  if (o.telegramIds) raw.telegram = { ...raw.telegram, operatorIds: o.telegramIds };
  if (o.port !== undefined) raw.gateway = { ...raw.gateway, port: o.port };
  if (o.workspace !== undefined) raw.workspace = o.workspace;
  return parseSettings(raw, source);
}

export function renderSettingsFile(s: Settings): string {
  return `# oss settings for this stack. Edit, then run \`oss init\` to re-render.\n${stringify(s)}`;
}

function planFile(dir: string, f: RenderedFile, manifest: Manifest | null, force: boolean): FilePlan {
  const abs = join(dir, f.path);
  let disk: string;
  try {
    disk = readFileSync(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path: f.path, action: 'create' };
    throw err;
  }
  const diskMode = lstatSync(abs).mode & 0o777;
  if (disk === f.content && diskMode === f.mode) return { path: f.path, action: 'unchanged' };
  const recorded = manifest?.files[f.path];
  const operatorEdited = disk !== f.content && (!recorded || recorded.sha256 !== sha256(disk));
  if (!operatorEdited) return { path: f.path, action: 'update' };
  const diff = createTwoFilesPatch(`${f.path} (on disk)`, `${f.path} (rendered)`, disk, f.content, undefined, undefined, { context: 2 });
  return { path: f.path, action: force ? 'overwrite' : 'edited', diff };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function initStack(opts: InitOptions): InitResult {
  const dir = resolve(opts.dir);
  checkStackDir(dir);
  const settingsFile = join(dir, SETTINGS_FILE);
  const loaded = loadSettings(dir); // a missing dir or file means defaults
  const settings = mergeSettings(loaded.settings, opts.overrides, opts.overrides ? 'the command-line options' : settingsFile);
  const settingsText = renderSettingsFile(settings);
  // the operator's own formatting and comments are kept unless a value changes
  const settingsAction: InitResult['settings']['action'] = !loaded.exists
    ? 'create'
    : JSON.stringify(settings) === JSON.stringify(loaded.settings)
      ? 'unchanged'
      : 'update';

  const rendered = renderStack(settings, opts.host ?? hostFacts(), opts.read);
  checkTargets(dir, [SETTINGS_FILE, layout.manifest, ...rendered.map((f) => f.path)]);
  const manifest = readManifest(dir);
  const files = rendered.map((f) => planFile(dir, f, manifest, Boolean(opts.force)));
  const secretsPlan = planSecrets(dir);

  const nextManifest: Manifest = { schemaVersion: 1, ossVersion, files: {} };
  rendered.forEach((f, i) => {
    const plan = files[i]!;
    // an edit we keep stays recorded as what we rendered before, so it still reads as edited
    if (plan.action === 'edited' && manifest?.files[f.path]) nextManifest.files[f.path] = manifest.files[f.path]!;
    else if (plan.action !== 'edited') nextManifest.files[f.path] = { sha256: sha256(f.content), mode: modeString(f.mode) };
  });
  const manifestText = serializeManifest(nextManifest);
  const manifestChanged = (() => {
    try {
      return readFileSync(join(dir, layout.manifest), 'utf8') !== manifestText;
    } catch {
      return true;
    }
  })();

  const changed =
    settingsAction !== 'unchanged' ||
    files.some((f) => f.action === 'create' || f.action === 'update' || f.action === 'overwrite') ||
    secretsPlan.some((s) => s.action !== 'keep') ||
    manifestChanged;

  const result: InitResult = { dir, dryRun: Boolean(opts.dryRun), settings: { action: settingsAction }, files, secrets: secretsPlan, changed };
  if (opts.dryRun) return result;

  mkdirSync(dir, { recursive: true, mode: 0o755 });
  mkdirSync(join(dir, layout.stateDir), { recursive: true, mode: 0o700 });
  chmodSync(join(dir, layout.stateDir), 0o700);
  if (settingsAction !== 'unchanged') writeFileAtomic(settingsFile, settingsText, { mode: 0o644 });
  // the gateway's config dir is OpenClaw's state: private, owned by the container user
  const configDir = join(dir, layout.gateway.configDir);
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  chmodSync(configDir, 0o700);
  if (isRoot()) chownSync(configDir, RUNTIME_UID, RUNTIME_GID);
  rendered.forEach((f, i) => {
    if (files[i]!.action === 'unchanged' || files[i]!.action === 'edited') return;
    const abs = join(dir, f.path);
    mkdirSync(dirname(abs), { recursive: true, mode: 0o755 });
    writeFileAtomic(abs, f.content, { mode: f.mode });
    if (f.runtimeOwned && isRoot()) chownSync(abs, RUNTIME_UID, RUNTIME_GID);
  });
  applySecrets(dir, secretsPlan);
  if (manifestChanged) writeFileAtomic(join(dir, layout.manifest), manifestText, { mode: 0o644 });
  return result;
}
