import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { serviceKeys, services } from '../../src/stack/model';

export default defineCheck({
  id: 'C.33',
  control: 'C',
  title: 'Every service of the stack is running and healthy',
  severity: 'high',
  needs: ['docker'],
  rationale: 'A missing or unhealthy container makes every other live proof partial; the healthchecks are the stack\'s own statement that it works.',
  remediation: 'Run `oss up` (it names a failing service and prints its last log lines).',
  async run({ live }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    for (const key of serviceKeys) {
      const name = services[key].containerName;
      const c = view.container(key);
      if (!c) out.push({ found: 'absent', expected: 'running, healthy', message: `${name} does not exist` });
      else if (!c.State.Running) out.push({ path: `${name}.State`, found: c.State.Status, expected: 'running', message: `${name} is ${c.State.Status}` });
      else if (c.State.Health?.Status !== 'healthy') out.push({ path: `${name}.State.Health`, found: c.State.Health?.Status ?? 'no healthcheck', expected: 'healthy', message: `${name} is not healthy` });
    }
    return verdict(out, `${serviceKeys.length} containers running and healthy (engine ${view.engine})`);
  },
});
