import { defineCheck, verdict } from '../../src/verify/check';
import { isObject } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { logging } from '../../src/stack/model';

export default defineCheck({
  id: 'C.9',
  control: 'C',
  title: 'Every service rotates its logs',
  severity: 'medium',
  needs: ['files'],
  rationale: 'The default json-file driver grows without bound until the disk is full, which stops every service (and the audit trail) at once.',
  remediation: `Set logging: {driver: ${logging.driver}, options: {max-size: "${logging.maxSize}", max-file: "${logging.maxFile}"}} (or driver: local).`,
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const lg = isObject(s.svc.logging) ? s.svc.logging : {};
        const driver = lg.driver ?? 'json-file';
        if (driver === 'local') return null;
        const opts = isObject(lg.options) ? lg.options : {};
        if (driver === 'json-file' && opts['max-size'] !== undefined && opts['max-file'] !== undefined && String(opts['max-file']) !== '0') return null;
        return s.at(['logging'], {
          found: show(s.svc.logging),
          expected: `${logging.driver} with max-size and max-file, or driver local`,
          message: driver === 'json-file' ? `service ${s.name} keeps unbounded json-file logs` : `service ${s.name} logs with driver ${String(driver)} (not rotated locally)`,
        });
      }),
      'logs rotate everywhere',
    ),
});
