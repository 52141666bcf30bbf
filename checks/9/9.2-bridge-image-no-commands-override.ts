import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { asList, environmentEntries, type Json } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { layout } from '../../src/stack/layout';

/** the local-command switch of `oss bridge serve` and an env spelling of it */
const SWITCHES = /--commands\b|OSS_BRIDGE_COMMANDS/;

export default defineCheck({
  id: '9.2',
  control: 9,
  title: 'The bridge image runs workers only by Docker exec (no --commands override)',
  severity: 'critical',
  needs: ['files'],
  rationale:
    '`oss bridge serve --commands FILE` maps routes to local programs for tests and benchmarks. In the stack the bridge must reach the workers only through the socket proxy; a --commands switch (or its env form) in the image, the compose service or the bundle would run arbitrary local argv inside the bridge container.',
  remediation: `Remove --commands / OSS_BRIDGE_COMMANDS from ${layout.bridge.dockerfile} and from the bridge service (command, entrypoint, environment), then re-render with \`oss init --force\`.`,
  run(ctx) {
    const out: Evidence[] = [];
    const file = layout.bridge.dockerfile;
    const dockerfile = ctx.files.text(file);
    if (dockerfile === null) out.push({ file, message: 'the bridge Dockerfile is missing', expected: 'the Dockerfile rendered by oss init' });
    else {
      dockerfile.split('\n').forEach((line, i) => {
        if (!line.trimStart().startsWith('#') && SWITCHES.test(line)) {
          out.push({ file, line: i + 1, found: line.trim().slice(0, 120), expected: 'no local-command switch', message: 'the bridge Dockerfile sets a local-command mode' });
        }
      });
    }
    const bundle = ctx.files.text(layout.bridge.bundle);
    if (bundle !== null && SWITCHES.test(bundle)) {
      out.push({ file: layout.bridge.bundle, found: 'a --commands switch', expected: 'the container entry, which has none', message: 'the bridge bundle understands a local-command switch' });
    }
    out.push(
      ...eachService(ctx, (s) => {
        if (s.key !== 'bridge') return null;
        const found: Evidence[] = [];
        for (const key of ['command', 'entrypoint'] as const) {
          const v = s.svc[key];
          const items: Json[] = typeof v === 'string' ? [v] : asList(v);
          items.forEach((item, i) => {
            if (typeof item === 'string' && SWITCHES.test(item)) {
              found.push(s.at(typeof v === 'string' ? [key] : [key, i], { found: show(item), expected: 'no local-command switch', message: `the bridge ${key} sets a local-command mode` }));
            }
          });
        }
        for (const e of environmentEntries(s.svc.environment)) {
          if (SWITCHES.test(e.key) || (e.value !== null && SWITCHES.test(e.value))) {
            found.push(s.at(['environment', e.index], { found: e.key, expected: 'no OSS_BRIDGE_COMMANDS', message: 'the bridge environment sets a local-command mode' }));
          }
        }
        return found;
      }),
    );
    return verdict(out, 'the bridge runs workers through the socket proxy only');
  },
});
