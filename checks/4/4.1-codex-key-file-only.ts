import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { environmentEntries, namesOf } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { services } from '../../src/stack/model';

export default defineCheck({
  id: '4.1',
  control: 4,
  title: 'The codex worker gets its API key only as a file secret',
  severity: 'high',
  needs: ['files'],
  rationale:
    'Codex runs non-interactively with a key read from a 0600 file; an env_file or environment variable puts the key in `docker inspect`, in every child process and in crash dumps.',
  remediation: 'Remove env_file and any *KEY*/*TOKEN* environment variable from the codex worker; the key lives in secrets/codex_api_key (`oss set-key codex`).',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        if (s.key !== 'codex-worker') return null;
        const out: Evidence[] = [];
        if (s.svc.env_file !== undefined) out.push(s.at(['env_file'], { found: show(s.svc.env_file), expected: 'absent', message: 'the codex worker loads an env file' }));
        for (const e of environmentEntries(s.svc.environment)) {
          if (/KEY|TOKEN|SECRET|PASSWORD/i.test(e.key)) out.push(s.at(['environment', e.index], { found: e.key, expected: 'no credential in the environment', message: `the codex worker receives ${e.key} as an environment variable` }));
        }
        for (const want of services['codex-worker'].secrets) {
          if (!namesOf(s.svc.secrets).includes(want)) out.push(s.at(['secrets'], { found: show(s.svc.secrets), expected: want, message: `the codex worker does not mount the ${want} file secret` }));
        }
        return out;
      }),
      'codex key only as a file secret',
    ),
});
