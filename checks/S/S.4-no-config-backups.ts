import { defineCheck, verdict } from '../../src/verify/check';

export const BACKUP_NAME = /(^|\/)openclaw\.json\.(bak(\.\d+)?|last-good|rejected\..+|clobbered\..+)$/;

export default defineCheck({
  id: 'S.4',
  control: 'S',
  title: 'No OpenClaw config backups are kept',
  severity: 'high',
  needs: ['files'],
  rationale: 'Every OpenClaw config write rotates openclaw.json.bak..bak.4 and the gateway writes .last-good; each copy holds whatever secrets the config had then, outside rotation.',
  remediation: 'With the gateway stopped: rm -f gateway/config/openclaw.json.bak* gateway/config/openclaw.json.last-good gateway/config/openclaw.json.rejected.* gateway/config/openclaw.json.clobbered.* (`oss harden` does this), then rotate any secret they held.',
  run: (ctx) =>
    verdict(
      ctx.files
        .walk()
        .filter((e) => !e.stat.isDirectory() && BACKUP_NAME.test(e.rel))
        .map((e) => ({ file: e.rel, found: 'present', expected: 'absent', message: `config backup ${e.rel} may hold old secrets` })),
      'no config backups',
    ),
});
