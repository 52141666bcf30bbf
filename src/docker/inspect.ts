// One batched `docker inspect` for all containers of the stack, and the fields the live
// checks read from it (see recipes/docker-engine: "inspect field table").
import { runDocker, type DockerRunner } from './engine';

export interface ContainerMount {
  Type: string;
  Source?: string;
  Destination: string;
  RW: boolean;
  Name?: string;
}

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** the subset of `docker inspect` a live check may read */
export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Health?: { Status: string; Log?: { ExitCode: number; Output: string; End?: string }[] | null } };
  Config: {
    User: string;
    Env: string[] | null;
    Image: string;
    Labels: Record<string, string> | null;
    Healthcheck?: { Test?: string[] } | null;
  };
  HostConfig: {
    ReadonlyRootfs: boolean;
    Tmpfs: Record<string, string> | null;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Memory: number;
    NanoCpus: number;
    PidsLimit: number | null;
    Privileged: boolean;
    PortBindings: Record<string, PortBinding[] | null> | null;
    NetworkMode: string;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
    LogConfig: { Type: string; Config: Record<string, string> };
    Binds: string[] | null;
    GroupAdd: string[] | null;
    Init?: boolean | null;
    PidMode: string;
    IpcMode: string;
    UsernsMode: string;
    Devices: unknown[] | null;
  };
  Mounts: ContainerMount[];
  NetworkSettings: {
    Ports: Record<string, PortBinding[] | null> | null;
    Networks: Record<string, { IPAddress: string; Aliases: string[] | null }> | null;
  };
}

export interface NetworkInspect {
  Name: string;
  Internal: boolean;
  Options: Record<string, string> | null;
  IPAM: { Config: { Subnet?: string; Gateway?: string }[] | null };
  Containers: Record<string, { Name: string }> | null;
}

function parseArray<T>(stdout: string): T[] {
  const text = stdout.trim();
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

/**
 * inspect all named containers in one call; a missing container maps to null
 * (docker prints the ones it found and exits 1 when any is missing)
 */
export async function inspectContainers(names: string[], run: DockerRunner = runDocker): Promise<Map<string, ContainerInspect | null>> {
  const out = new Map<string, ContainerInspect | null>(names.map((n) => [n, null]));
  if (names.length === 0) return out;
  const r = await run(['container', 'inspect', ...names], { timeoutMs: 30_000 });
  for (const c of parseArray<ContainerInspect>(r.stdout)) out.set(c.Name.replace(/^\//, ''), c);
  return out;
}

export async function inspectNetworks(names: string[], run: DockerRunner = runDocker): Promise<Map<string, NetworkInspect | null>> {
  const out = new Map<string, NetworkInspect | null>(names.map((n) => [n, null]));
  if (names.length === 0) return out;
  const r = await run(['network', 'inspect', ...names], { timeoutMs: 30_000 });
  for (const n of parseArray<NetworkInspect>(r.stdout)) out.set(n.Name, n);
  return out;
}

/** host ports a container publishes, from the running state (not the compose file) */
export function publishedPorts(c: ContainerInspect): { containerPort: string; hostIp: string; hostPort: string }[] {
  const ports = c.NetworkSettings.Ports ?? {};
  const bindings = c.HostConfig.PortBindings ?? {};
  const rows: { containerPort: string; hostIp: string; hostPort: string }[] = [];
  for (const [containerPort, list] of Object.entries({ ...bindings, ...ports })) {
    for (const b of list ?? []) rows.push({ containerPort, hostIp: b.HostIp, hostPort: b.HostPort });
  }
  // PortBindings and Ports describe the same binding; keep one row per (ip, port)
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.containerPort}|${r.hostIp}|${r.hostPort}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** mounts that expose a Docker engine socket */
export function socketMounts(c: ContainerInspect): ContainerMount[] {
  const runDirs = new Set(['/var/run', '/run', '/var/run/docker', '/run/docker', '/run/containerd']);
  return c.Mounts.filter(
    (m) => /(docker|containerd|podman)\.sock$/.test(m.Source ?? '') || runDirs.has(m.Source ?? '') || /docker\.sock$/.test(m.Destination),
  );
}
