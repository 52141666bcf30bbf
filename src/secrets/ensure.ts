// init's part of the secrets lifecycle: create what is missing, never regenerate what
// exists, keep modes exact. Generated tokens are 32 random bytes as hex; operator
// secrets start empty (compose needs the file) until `oss set-key`.
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OssError } from '../errors';
import {
  SECRETS_DIR,
  SECRETS_DIR_MODE,
  SECRET_FILE_MODE,
  secretPath,
  secrets,
  type SecretModel,
} from '../stack/model';
import { lstatOrNull } from './atomic-write';
import { generateToken, secretOwner, writeSecret } from './store';

export type SecretAction = 'create' | 'keep' | 'fix-mode';

export interface SecretPlan {
  name: string;
  action: SecretAction;
  /** why, for people; never the value */
  note?: string;
}

/** decide per secret; throws (changing nothing) on a symlink, hard link or non-file */
export function planSecrets(dir: string): SecretPlan[] {
  const sdir = join(dir, SECRETS_DIR);
  const dst = lstatOrNull(sdir);
  if (dst && !dst.isDirectory()) {
    throw new OssError(`${sdir} is ${dst.isSymbolicLink() ? 'a symlink' : 'not a directory'}`, {
      hint: `secrets are only written into a real directory: move ${sdir} away and run again`,
    });
  }
  return secrets.map((s) => {
    const file = join(dir, secretPath(s.name));
    const st = lstatOrNull(file);
    if (!st) return { name: s.name, action: 'create' };
    if (st.isSymbolicLink()) {
      throw new OssError(`secret file ${file} is a symlink`, {
        hint: `secrets are never written through a link: remove ${file} (or replace it with the real file) and run again`,
      });
    }
    if (!st.isFile()) throw new OssError(`secret file ${file} is not a regular file`, { hint: `move ${file} away and run again` });
    if (st.nlink > 1) {
      throw new OssError(`secret file ${file} has ${st.nlink} hard links`, {
        hint: `another path shares this secret; remove the other link and run again`,
      });
    }
    if ((st.mode & 0o777) !== SECRET_FILE_MODE) {
      return { name: s.name, action: 'fix-mode', note: `mode 0${(st.mode & 0o777).toString(8)} -> 0600` };
    }
    return { name: s.name, action: 'keep' };
  });
}

/** the secrets directory: 0700 exactly, owned by the containers' user when we are root */
export function ensureSecretsDir(dir: string): void {
  const sdir = join(dir, SECRETS_DIR);
  mkdirSync(sdir, { recursive: true, mode: SECRETS_DIR_MODE });
  chmodSync(sdir, SECRETS_DIR_MODE);
}

export function initialValue(s: SecretModel): string {
  return s.source === 'generated' ? generateToken() : '';
}

export function applySecrets(dir: string, plan: SecretPlan[]): void {
  ensureSecretsDir(dir);
  for (const p of plan) {
    const model = secrets.find((s) => s.name === p.name)!;
    // written owned by the containers' user (under root): compose file secrets are bind mounts
    if (p.action === 'create') writeSecret(dir, model.name, initialValue(model));
    else {
      const file = join(dir, secretPath(model.name));
      if (p.action === 'fix-mode') chmodSync(file, SECRET_FILE_MODE);
      const owner = secretOwner();
      if (owner) chownSync(file, owner.uid, owner.gid);
    }
  }
}
