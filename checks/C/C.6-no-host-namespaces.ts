import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { eachService, show } from '../../src/verify/check-helpers';

const KEYS = ['pid', 'ipc', 'network_mode', 'userns_mode', 'uts', 'cgroup'] as const;

export default defineCheck({
  id: 'C.6',
  control: 'C',
  title: "No service shares the host's pid, ipc, network, user, uts or cgroup namespace",
  severity: 'critical',
  needs: ['files'],
  rationale: 'A host namespace removes the isolation the container is for: host processes become visible (pid), host interfaces and loopback services reachable (network), root maps to host root (userns).',
  remediation: 'Remove the `<key>: host` line from the service.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        for (const k of KEYS) {
          if (String(s.svc[k] ?? '').trim().toLowerCase() === 'host') out.push(s.at([k], { found: show(s.svc[k]), expected: 'absent', message: `service ${s.name} uses the host ${k.replace('_mode', '')} namespace` }));
        }
        return out;
      }),
      'no host namespaces',
    ),
});
