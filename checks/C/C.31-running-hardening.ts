import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { RESTART_POLICY, logging, serviceKeys, services } from '../../src/stack/model';

const SECRETISH = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|DSN|CREDENTIAL)/i;

export default defineCheck({
  id: 'C.31',
  control: 'C',
  title: 'Every running container keeps the compose hardening',
  severity: 'high',
  needs: ['docker'],
  rationale: 'The static checks read the compose file; this one reads what the engine actually runs (one batched inspect): read-only root, cap_drop ALL and no cap_add, no-new-privileges, not privileged, the model user, init, bounded restarts, rotated json-file logs, no host namespaces or devices, the model tmpfs mounts, and no secret in the environment.',
  remediation: 'Re-render with `oss init` and recreate the containers with `oss up`; a container started by hand or through an override file does not carry these settings.',
  async run({ live }) {
    const view = await dockerView(live);
    const out: Evidence[] = [];
    const [restartName, restartMax] = RESTART_POLICY.split(':');
    for (const key of serviceKeys) {
      const c = view.container(key);
      if (!c) continue;
      const m = services[key];
      const name = m.containerName;
      const h = c.HostConfig;
      const bad = (field: string, found: string, expected: string, message: string) => out.push({ path: `${name}.${field}`, found, expected, message: `${name}: ${message}` });
      if (!h.ReadonlyRootfs) bad('HostConfig.ReadonlyRootfs', 'false', 'true', 'writable root filesystem');
      if (!(h.CapDrop ?? []).some((x) => x.toUpperCase() === 'ALL')) bad('HostConfig.CapDrop', JSON.stringify(h.CapDrop), '["ALL"]', 'capabilities not dropped');
      if ((h.CapAdd ?? []).length > 0) bad('HostConfig.CapAdd', JSON.stringify(h.CapAdd), 'none', 'capabilities added');
      if (!(h.SecurityOpt ?? []).some((o) => /^no-new-privileges(:true|=true)?$/.test(o))) bad('HostConfig.SecurityOpt', JSON.stringify(h.SecurityOpt), 'no-new-privileges:true', 'may gain privileges (setuid)');
      if (h.Privileged) bad('HostConfig.Privileged', 'true', 'false', 'privileged');
      if (c.Config.User !== m.user) bad('Config.User', JSON.stringify(c.Config.User), m.user, 'runs as another user');
      if (h.Init !== true) bad('HostConfig.Init', String(h.Init), 'true', 'no init process');
      if (h.RestartPolicy.Name !== restartName || String(h.RestartPolicy.MaximumRetryCount) !== restartMax) bad('HostConfig.RestartPolicy', `${h.RestartPolicy.Name}:${h.RestartPolicy.MaximumRetryCount}`, RESTART_POLICY, 'restart policy differs');
      const lc = h.LogConfig;
      if (lc.Type !== logging.driver || lc.Config['max-size'] !== logging.maxSize || lc.Config['max-file'] !== String(logging.maxFile)) {
        bad('HostConfig.LogConfig', `${lc.Type} ${JSON.stringify(lc.Config)}`, `${logging.driver} max-size=${logging.maxSize} max-file=${logging.maxFile}`, 'logs are not rotated as the model says');
      }
      for (const [field, v] of [['NetworkMode', h.NetworkMode], ['PidMode', h.PidMode], ['IpcMode', h.IpcMode], ['UsernsMode', h.UsernsMode]] as const) {
        if (v === 'host') bad(`HostConfig.${field}`, 'host', 'not host', `shares the host ${field.replace('Mode', '').toLowerCase()} namespace`);
      }
      if ((h.Devices ?? []).length > 0) bad('HostConfig.Devices', `${(h.Devices ?? []).length} device(s)`, 'none', 'has host devices');
      for (const path of Object.keys(m.tmpfs)) {
        if (!(path in (h.Tmpfs ?? {}))) bad('HostConfig.Tmpfs', JSON.stringify(Object.keys(h.Tmpfs ?? {})), path, `tmpfs ${path} missing`);
      }
      for (const e of c.Config.Env ?? []) {
        const k = e.split('=')[0]!;
        if (SECRETISH.test(k) && !m.envAllowlist.includes(k)) bad('Config.Env', k, 'secrets as files under /run/secrets', `environment variable ${k} looks like a secret`);
      }
    }
    return verdict(out, `hardening as running on ${serviceKeys.filter((k) => view.container(k)).length} containers`);
  },
});
