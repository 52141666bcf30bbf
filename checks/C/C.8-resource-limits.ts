import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { isObject, type Json } from '../../src/verify/compose';
import { eachService, getPath, show } from '../../src/verify/check-helpers';

function positive(v: Json | undefined): boolean {
  if (v === undefined || v === null) return false;
  const s = String(v).trim().toLowerCase();
  if (s === '' || s === '0' || s === '-1' || s === 'max' || s === 'unlimited') return false;
  return /^[0-9]*\.?[0-9]+\s*[bkmg]?b?$/.test(s) && parseFloat(s) > 0;
}

export default defineCheck({
  id: 'C.8',
  control: 'C',
  title: 'Every service has memory, CPU and process limits',
  severity: 'medium',
  needs: ['files'],
  rationale: 'Without limits one runaway agent turn, codex run or fork bomb starves the host (and the other services); limits are sized from measurement in the model.',
  remediation: 'Set mem_limit, cpus and pids_limit (or deploy.resources.limits memory/cpus/pids); adjust sizes in oss.yaml `resources:` and re-run `oss init`.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        const lim = getPath(s.svc, ['deploy', 'resources', 'limits']);
        const limits = isObject(lim) ? lim : {};
        const pick = (direct: string, deploy: string) => (s.svc[direct] !== undefined ? { v: s.svc[direct], path: [direct] } : { v: limits[deploy], path: ['deploy', 'resources', 'limits', deploy] });
        for (const [direct, deploy, what] of [
          ['mem_limit', 'memory', 'memory'],
          ['cpus', 'cpus', 'CPU'],
          ['pids_limit', 'pids', 'process'],
        ] as const) {
          const { v, path } = pick(direct, deploy);
          if (!positive(v)) out.push(s.at(path, { found: show(v), expected: 'a positive limit', message: `service ${s.name} has no ${what} limit` }));
        }
        return out;
      }),
      'every service is limited',
    ),
});
