import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { memoryBytes } from '../../src/docker/live';
import { serviceKeys, services } from '../../src/stack/model';
import { resourcesFor } from '../../src/stack/settings';

export default defineCheck({
  id: 'C.32',
  control: 'C',
  title: 'Running containers have the memory, CPU and PID limits of the settings',
  severity: 'medium',
  needs: ['docker'],
  rationale: 'Limits bound what a runaway agent or worker can take from the host. The engine holds the values actually applied; they must equal the model defaults as overridden in oss.yaml.',
  remediation: 'Set the limits under `resources:` in oss.yaml, re-run `oss init`, then `oss up` to recreate the containers.',
  async run({ live, settings }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    for (const key of serviceKeys) {
      const c = view.container(key);
      if (!c) continue;
      const want = resourcesFor(settings, key);
      const name = services[key].containerName;
      const h = c.HostConfig;
      if (h.Memory !== memoryBytes(want.memory)) out.push({ path: `${name}.HostConfig.Memory`, found: String(h.Memory), expected: `${memoryBytes(want.memory)} (${want.memory})`, message: `${name}: memory limit differs` });
      if (h.NanoCpus !== Math.round(want.cpus * 1e9)) out.push({ path: `${name}.HostConfig.NanoCpus`, found: String(h.NanoCpus), expected: String(Math.round(want.cpus * 1e9)), message: `${name}: CPU limit differs` });
      if (h.PidsLimit !== want.pids) out.push({ path: `${name}.HostConfig.PidsLimit`, found: String(h.PidsLimit), expected: String(want.pids), message: `${name}: PID limit differs` });
    }
    return verdict(out, 'memory, CPU and PID limits as configured');
  },
});
