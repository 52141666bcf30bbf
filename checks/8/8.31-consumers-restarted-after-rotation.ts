import { statSync } from 'node:fs';
import { join } from 'node:path';
import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { restartOrder, secretPath, services } from '../../src/stack/model';

/** container start times are second-accurate enough; allow for clock granularity */
const SLACK_MS = 1000;

export default defineCheck({
  id: '8.31',
  control: 8,
  title: 'Every running consumer started after its secret files last changed',
  severity: 'high',
  needs: ['docker'],
  rationale:
    'A compose file secret is bound when the container starts; a container running since before its secret file was replaced still holds (and accepts) the old value. After `rotate-secrets --no-restart` or a hand edit the gateway and bridge can disagree on the bridge token, and a leaked token keeps working.',
  remediation: 'Restart the listed services in this order (servers before clients): `docker compose restart <service>`, or run `oss rotate-secrets` again, which restarts and proves.',
  async run({ dir, live }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    for (const key of restartOrder) {
      const svc = services[key];
      if (svc.secrets.length === 0) continue;
      const c = view.container(key);
      if (!c || !c.State.Running) {
        out.push({ path: `${svc.containerName}.State`, found: c ? c.State.Status : 'absent', expected: 'running', message: `${svc.containerName} is not running` });
        continue;
      }
      const startedAt = Date.parse((c.State as { StartedAt?: string }).StartedAt ?? '');
      if (Number.isNaN(startedAt)) {
        out.push({ path: `${svc.containerName}.State.StartedAt`, found: 'unreadable', expected: 'a start time', message: `cannot tell when ${svc.containerName} started` });
        continue;
      }
      for (const name of svc.secrets) {
        let mtime: number;
        try {
          mtime = statSync(join(dir, secretPath(name))).mtimeMs;
        } catch {
          continue; // a missing file is S.1's finding
        }
        if (mtime > startedAt + SLACK_MS) {
          out.push({
            file: secretPath(name),
            path: `${svc.containerName}.State.StartedAt`,
            found: `${svc.containerName} started ${new Date(startedAt).toISOString()}, ${secretPath(name)} changed ${new Date(mtime).toISOString()}`,
            expected: `${key} restarted after the change`,
            message: `${svc.containerName} still runs with the previous ${name}`,
          });
        }
      }
    }
    return verdict(out, 'every consumer started after its secrets last changed');
  },
});
