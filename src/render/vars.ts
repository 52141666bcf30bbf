// Template variables: a flat view of the stack model plus the operator's settings.
import {
  PROJECT_NAME,
  RESTART_POLICY,
  RUNTIME_GID,
  RUNTIME_UID,
  bridge,
  codex,
  gateway,
  logging,
  networks,
  routes,
  secretPath,
  secrets,
  serviceKeys,
  services,
  socketProxy,
  wrapperPath,
} from '../stack/model';
import { layout, wrapperFile } from '../stack/layout';
import { resourcesFor, type Settings } from '../stack/settings';
import type { TemplateVars } from './template';

declare const __OSS_VERSION__: string;
export const ossVersion: string = typeof __OSS_VERSION__ === 'string' ? __OSS_VERSION__ : '0.0.0-dev';

/** a YAML flow sequence of quoted strings */
const flow = (items: readonly string[]) => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;

export interface HostFacts {
  /** gid owning the Docker socket on this host (the socket proxy joins that group) */
  dockerSocketGid: number;
}

export function templateVars(settings: Settings, host: HostFacts): TemplateVars {
  const v: TemplateVars = {
    project: PROJECT_NAME,
    tag: ossVersion,
    restart: RESTART_POLICY,
    'images.node': settings.images.node,
    'images.debian': settings.images.debian,
    'images.pullPolicy': settings.images.pullPolicy,
    'logging.driver': logging.driver,
    'logging.maxSize': logging.maxSize,
    'logging.maxFile': String(logging.maxFile),
    'runtime.uid': String(RUNTIME_UID),
    'runtime.gid': String(RUNTIME_GID),
    openclawVersion: gateway.openclawVersion,
    'gateway.hostPort': String(settings.gateway.port),
    'gateway.containerPort': String(gateway.containerPort),
    'gateway.publishAddress': gateway.publishAddress,
    'gateway.configDir': gateway.configDir,
    'gateway.bind': gateway.bindInContainer,
    'bridge.port': String(bridge.port),
    'bridge.concurrency': String(settings.bridge.concurrency),
    'socketProxy.port': String(socketProxy.port),
    'socketProxy.dockerSocket': socketProxy.dockerSocket,
    dockerSocketGid: String(host.dockerSocketGid),
    'codex.workspace': `${codex.workspaceRoot}/${settings.workspace}`,
    'codex.preamblePath': codex.preamblePath,
    'codex.configPath': codex.configPath,
    'codex.package': settings.codex.package,
    'layout.gatewayConfigDir': layout.gateway.configDir,
    'layout.preamble': layout.codexWorker.preamble,
    'layout.codexConfig': layout.codexWorker.config,
    'secrets.block': secrets.map((s) => `  ${s.name}:\n    file: ./${secretPath(s.name)}`).join('\n'),
    'gateway.scriptMounts': [
      ...routes.map((r) => `      - ./${wrapperFile(r)}:${wrapperPath(r)}:ro`),
      `      - ./${layout.gateway.bridgeClient}:${gateway.configDir}/${bridge.clientFile}:ro`,
    ].join('\n'),
  };
  for (const key of Object.keys(networks) as (keyof typeof networks)[]) v[`net.${key}.name`] = networks[key].name;
  for (const key of serviceKeys) {
    const s = services[key];
    const res = resourcesFor(settings, key);
    v[`svc.${key}.container`] = s.containerName;
    v[`svc.${key}.buildDir`] = s.buildDir;
    v[`svc.${key}.user`] = s.user;
    v[`svc.${key}.secrets`] = flow(s.secrets);
    v[`svc.${key}.networks`] = flow(s.networks);
    v[`svc.${key}.tmpfs`] = flow(Object.entries(s.tmpfs).map(([p, o]) => `${p}:${o}`));
    v[`svc.${key}.memory`] = res.memory;
    v[`svc.${key}.cpus`] = String(res.cpus);
    v[`svc.${key}.pids`] = String(res.pids);
    v[`svc.${key}.startPeriod`] = String(s.healthStartPeriodSec);
  }
  for (const r of routes) {
    v[`route.${r.name}.entry`] = r.workerArgv[0]!;
    v[`route.${r.name}.path`] = r.path;
  }
  return v;
}
