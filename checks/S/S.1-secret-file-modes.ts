import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { RUNTIME_UID, SECRETS_DIR, SECRETS_DIR_MODE, SECRET_FILE_MODE, secrets } from '../../src/stack/model';

const ALLOWED_OWNERS = [0, RUNTIME_UID];
const octal = (m: number) => `0${(m & 0o777).toString(8).padStart(3, '0')}`;

export default defineCheck({
  id: 'S.1',
  control: 'S',
  title: 'Secret files are 0600 regular files owned by root or the runtime user; the directory is 0700',
  severity: 'critical',
  needs: ['files'],
  rationale: 'Any other local user who can read a token can call the bridge or the gateway. Secret files are plain files (never links), readable by their owner only: root, or uid 1000 that the containers run as.',
  remediation: `chmod ${octal(SECRETS_DIR_MODE)} ${SECRETS_DIR} && chmod ${octal(SECRET_FILE_MODE)} ${SECRETS_DIR}/* && chown ${RUNTIME_UID}:${RUNTIME_UID} ${SECRETS_DIR}/* (\`oss init\` repairs modes without regenerating values).`,
  run(ctx) {
    const out: Evidence[] = [];
    const dirEntry = ctx.files.walk().find((e) => e.rel === SECRETS_DIR);
    if (!dirEntry) return verdict([{ file: SECRETS_DIR, message: 'the secrets directory is missing', expected: 'run `oss init`' }]);
    if (!dirEntry.stat.isDirectory()) out.push({ file: SECRETS_DIR, found: dirEntry.stat.isSymbolicLink() ? 'a symlink' : 'not a directory', expected: 'a directory', message: 'secrets is not a real directory' });
    else if ((dirEntry.stat.mode & 0o777) !== SECRETS_DIR_MODE) out.push({ file: SECRETS_DIR, found: octal(dirEntry.stat.mode), expected: octal(SECRETS_DIR_MODE), message: 'the secrets directory is readable by others' });
    const files = ctx.files.secretFiles();
    for (const f of files) {
      if (f.stat.isSymbolicLink() || !f.stat.isFile()) {
        out.push({ file: f.rel, found: f.stat.isSymbolicLink() ? 'a symlink' : 'not a regular file', expected: 'a regular file', message: `secret ${f.name} is not a plain file` });
        continue;
      }
      if ((f.stat.mode & 0o777) !== SECRET_FILE_MODE) out.push({ file: f.rel, found: octal(f.stat.mode), expected: octal(SECRET_FILE_MODE), message: `secret ${f.name} has mode ${octal(f.stat.mode)}` });
      if (!ALLOWED_OWNERS.includes(f.stat.uid)) out.push({ file: f.rel, found: `uid ${f.stat.uid}`, expected: `uid ${ALLOWED_OWNERS.join(' or ')}`, message: `secret ${f.name} is owned by another user` });
      if (f.stat.nlink > 1) out.push({ file: f.rel, found: `${f.stat.nlink} links`, expected: '1', message: `secret ${f.name} is hard-linked elsewhere` });
    }
    for (const s of secrets) if (!files.some((f) => f.name === s.name)) out.push({ file: `${SECRETS_DIR}/${s.name}`, message: `secret file ${s.name} is missing`, expected: 'run `oss init`' });
    return verdict(out, `${files.length} secret files, modes and owners exact`);
  },
});
