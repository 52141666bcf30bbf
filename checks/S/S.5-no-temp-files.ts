import { defineCheck, verdict } from '../../src/verify/check';
import { isAtomicTempName } from '../../src/secrets/atomic-write';

export default defineCheck({
  id: 'S.5',
  control: 'S',
  title: 'No leftover temp files from interrupted secret writes',
  severity: 'medium',
  needs: ['files'],
  rationale: 'A write interrupted between temp file and rename leaves a copy of the secret under another name, invisible to rotation.',
  remediation: 'Delete the listed .<name>.tmp-<pid>-<hex> files, then rotate the secret they copied (`oss rotate-secrets`).',
  run: (ctx) =>
    verdict(
      ctx.files
        .walk()
        .filter((e) => isAtomicTempName(e.rel.split('/').pop()!))
        .map((e) => ({ file: e.rel, found: 'present', expected: 'absent', message: `leftover temp file ${e.rel}` })),
      'no leftover temp files',
    ),
});
