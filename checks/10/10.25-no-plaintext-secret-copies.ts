import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { isOutcome, stateForCheck } from '../../src/openclaw/provider';
import { plaintextSecretPaths, type Json } from '../../src/openclaw/state';

export default defineCheck({
  id: '10.25',
  control: 10,
  title: 'No plaintext secret in openclaw.json or in the config backup copies beside it',
  severity: 'high',
  needs: ['files'],
  rationale:
    'Every OpenClaw config write keeps a ring of .bak copies and a .last-good copy holding whatever secrets the config had; the agent or a backup job can read them. Secrets belong in files referenced from the config.',
  remediation: 'Run `oss harden` (moves the gateway token to a file reference and deletes the copies); reference other keys (models.providers.*.apiKey) as secrets.',
  async run(ctx) {
    const view = await stateForCheck(ctx);
    if (isOutcome(view)) return view;
    const out: Evidence[] = plaintextSecretPaths(view.config).map((p) => ({
      file: view.configFile,
      path: p,
      found: 'a plaintext value',
      expected: 'a secret reference ({source: "file", ...})',
      message: `plaintext secret at ${p}`,
    }));
    for (const f of view.backups) {
      let paths: string[] = [];
      try {
        paths = plaintextSecretPaths(JSON.parse(readFileSync(join(view.target.stateDir, f), 'utf8')) as Json);
      } catch {
        paths = ['(unparseable copy)'];
      }
      out.push({
        file: join(view.target.stateDir, f),
        found: paths.length ? `plaintext secrets at ${paths.join(', ')}` : 'a config copy',
        expected: 'no backup copies',
        message: `config backup ${f} is kept`,
      });
    }
    return verdict(out, 'no plaintext secret in openclaw.json, no backup copies');
  },
});
