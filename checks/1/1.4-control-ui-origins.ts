import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, show } from '../../src/verify/check-helpers';
import type { Json } from '../../src/verify/compose';

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export default defineCheck({
  id: '1.4',
  control: 1,
  title: 'Control UI accepts browser origins on localhost only',
  severity: 'high',
  needs: ['files'],
  rationale:
    'An allowed origin off the host (or "*") lets a web page elsewhere drive the Control UI through the operator\'s browser; the UI is reached over an SSH tunnel to loopback.',
  remediation: 'Set gateway.controlUi.allowedOrigins to http://localhost:<port> and http://127.0.0.1:<port> entries only (re-run `oss init --force` to restore them).',
  run(ctx) {
    const src = ctx.files.openclaw();
    const path = ['gateway', 'controlUi', 'allowedOrigins'];
    const origins = getPath(src.data, path);
    if (origins === undefined) return verdict([], 'no extra origins (OpenClaw seeds localhost only)');
    if (!Array.isArray(origins)) return verdict([atOpenclaw(src, path, { found: show(origins as Json), expected: 'a list of localhost origins', message: 'allowedOrigins is not a list' })]);
    const out: Evidence[] = [];
    origins.forEach((o, i) => {
      if (typeof o !== 'string' || !LOCAL_ORIGIN.test(o)) {
        out.push(atOpenclaw(src, [...path, i], { found: show(o as Json), expected: 'http://localhost:<port> or http://127.0.0.1:<port>', message: 'Control UI origin is not on localhost' }));
      }
    });
    return verdict(out, 'Control UI origins are localhost only');
  },
});
