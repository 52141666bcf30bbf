import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { layout } from '../../src/stack/layout';
import { SECRETS_DIR } from '../../src/stack/model';

const MAX_SCAN_BYTES = 8 * 1024 * 1024;

export default defineCheck({
  id: 'S.3',
  control: 'S',
  title: 'No secret value appears in compose, openclaw.json or any world-readable file',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'Secrets live only in their own 0600 files. The original kept tokens in plaintext openclaw.json and env files, and config writes copied them into backups; a copy anywhere else escapes rotation and file modes.',
  remediation: 'Remove the value from the named file (use a secret reference / the file secret instead), then rotate the secret: `oss rotate-secrets`.',
  run(ctx) {
    const values = [...ctx.files.secretValues().entries()].filter(([, v]) => v.length >= 8);
    if (values.length === 0) return verdict([], 'no secret values set yet');
    const mustScan = new Set([...ctx.files.composeFiles(), layout.gateway.openclawConfig]);
    const out: Evidence[] = [];
    for (const e of ctx.files.walk()) {
      if (!e.stat.isFile() || e.rel.startsWith(`${SECRETS_DIR}/`)) continue;
      const worldReadable = (e.stat.mode & 0o004) !== 0;
      if (!worldReadable && !mustScan.has(e.rel)) continue;
      if (e.stat.size > MAX_SCAN_BYTES) continue;
      let buf: Buffer | null;
      try {
        buf = ctx.files.bytes(e.rel);
      } catch {
        continue;
      }
      if (!buf) continue;
      for (const [name, v] of values) {
        const at = buf.indexOf(v);
        if (at < 0) continue;
        let line = 1;
        for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) line++;
        out.push({ file: e.rel, line, found: `the value of ${SECRETS_DIR}/${name}`, expected: 'only a reference to the secret file', message: `${e.rel} contains the plaintext secret ${name}${worldReadable ? ' and is world-readable' : ''}` });
      }
    }
    return verdict(out, `${values.length} secret value(s) found nowhere else`);
  },
});
