import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { layout } from '../../src/stack/layout';
import { SECRETS_DIR } from '../../src/stack/model';

interface Rule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function globToRe(glob: string, anchored: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) re += `\\${glob[++i]}`;
    else re += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(anchored ? `^${re}$` : `(^|/)${re}$`);
}

export function parseGitignore(text: string): Rule[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      let p = negate ? l.slice(1) : l;
      const dirOnly = p.endsWith('/');
      if (dirOnly) p = p.slice(0, -1);
      const anchored = p.includes('/');
      return { re: globToRe(p.replace(/^\//, ''), anchored), negate, dirOnly };
    });
}

/** git's rule: the last matching pattern wins, and nothing below an ignored directory comes back */
export function isIgnored(rel: string, rules: Rule[]): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    const isDir = i < parts.length;
    let state = false;
    for (const r of rules) if ((!r.dirOnly || isDir) && r.re.test(p)) state = !r.negate;
    if (state && isDir) return true;
    if (i === parts.length) return state;
  }
  return false;
}

function gitRoot(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}

export default defineCheck({
  id: 'S.2',
  control: 'S',
  title: 'Secrets are git-ignored and not tracked by git',
  severity: 'high',
  needs: ['files'],
  rationale: 'Operators keep stack dirs in git to review changes; a committed token is leaked to every clone and every backup of the repository, forever.',
  remediation: `Keep "${SECRETS_DIR}/" in the stack's .gitignore (\`oss init --force\` restores it); if a secret was committed: \`git rm --cached -r ${SECRETS_DIR}\` and rotate it (\`oss rotate-secrets\`).`,
  run(ctx) {
    const out: Evidence[] = [];
    const text = ctx.files.text(layout.gitignore);
    const rules = parseGitignore(text ?? '');
    if (text === null) out.push({ file: layout.gitignore, message: 'the stack has no .gitignore', expected: `a .gitignore listing ${SECRETS_DIR}/` });
    for (const f of ctx.files.secretFiles()) {
      if (text !== null && !isIgnored(f.rel, rules)) out.push({ file: layout.gitignore, found: `${f.rel} not ignored`, expected: `${SECRETS_DIR}/ ignored`, message: `secret ${f.name} is not git-ignored` });
    }
    const root = gitRoot(ctx.dir);
    if (root) {
      let tracked: string[] = [];
      try {
        tracked = execFileSync('git', ['-C', ctx.dir, 'ls-files', '-z', '--', SECRETS_DIR], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 })
          .split('\0')
          .filter(Boolean);
      } catch (err) {
        out.push({ file: SECRETS_DIR, message: `the stack dir is in a git repository but git could not list tracked files: ${(err as Error).message.split('\n')[0]}`, expected: 'git installed' });
      }
      for (const t of tracked) out.push({ file: t, found: 'tracked by git', expected: 'untracked', message: `secret file ${t} is committed to the repository at ${root === ctx.dir ? 'the stack dir' : 'a parent dir'}` });
    }
    return verdict(out, root ? 'secrets ignored and untracked' : 'secrets ignored (stack dir is not in a git repository)');
  },
});
