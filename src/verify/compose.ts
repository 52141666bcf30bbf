// The effective compose project as `docker compose` would see it: the base file plus
// every override file compose loads, merged the way compose merges them (mappings merge,
// sequences append, scalars replace, `!reset` removes, `!override` replaces), with the
// file and line every value came from. Checks read this, so an override that weakens a
// hardened property fails the same check, pointing at the override's line.
import { OVERRIDE, RESET, type KeyPath, type YamlSource } from './yaml-source';
import { services as modelServices, networks as modelNetworks, type NetworkKey, type ServiceKey } from '../stack/model';
import type { Evidence } from './check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Service = Record<string, Json>;

interface Origin {
  layer: number;
  path: KeyPath;
}

export interface ComposeProject {
  /** files that were merged, base first (relative to the stack dir) */
  files: string[];
  data: { services?: Record<string, Service>; networks?: Record<string, Json>; volumes?: Record<string, Json>; secrets?: Record<string, Json> } & Record<string, Json>;
  /** where the effective value at `path` was set: the last file that set it */
  locate(path: KeyPath): { file: string; line?: number };
  /** evidence pointing at a key path of the effective compose project */
  at(path: KeyPath, e: Omit<Evidence, 'file' | 'line' | 'path'>): Evidence;
  services(): { name: string; key: ServiceKey | undefined; svc: Service }[];
  /** the compose service name of a model service, if the project has it */
  serviceName(key: ServiceKey): string | undefined;
  /** compose network key -> model network key */
  networkKey(composeKey: string): NetworkKey | undefined;
}

const pathKey = (p: KeyPath) => JSON.stringify(p);

export function mergeCompose(layers: YamlSource[], env: Record<string, string>): ComposeProject {
  const origins = new Map<string, Origin>();
  let merged: Json = {};
  layers.forEach((layer, i) => {
    const data = interpolate(layer.data as Json, env);
    merged = mergeValue(merged, data, [], [], i, origins);
  });
  const data = (isObject(merged) ? merged : {}) as ComposeProject['data'];

  const locate = (path: KeyPath) => {
    for (let n = path.length; n >= 0; n--) {
      const o = origins.get(pathKey(path.slice(0, n)));
      if (o) {
        const layer = layers[o.layer]!;
        return { file: layer.file, line: layer.lineOf([...o.path, ...path.slice(n)]) };
      }
    }
    return { file: layers[0]?.file ?? 'docker-compose.yml' };
  };

  const project: ComposeProject = {
    files: layers.map((l) => l.file),
    data,
    locate,
    at(path, e) {
      const { file, line } = locate(path);
      return { file, line, path: formatPath(path), ...e };
    },
    services() {
      const svcs = isObject(data.services) ? data.services : {};
      return Object.entries(svcs).map(([name, svc]) => ({
        name,
        key: modelKeyOf(name, isObject(svc) ? svc : {}),
        svc: (isObject(svc) ? svc : {}) as Service,
      }));
    },
    serviceName(key) {
      return project.services().find((s) => s.key === key)?.name;
    },
    networkKey(composeKey) {
      const nets = isObject(data.networks) ? data.networks : {};
      const def = nets[composeKey];
      const name = isObject(def) && typeof def.name === 'string' ? def.name : undefined;
      return (Object.keys(modelNetworks) as NetworkKey[]).find(
        (k) => k === composeKey || (name !== undefined && modelNetworks[k].name === name),
      );
    },
  };
  return project;
}

function modelKeyOf(name: string, svc: Record<string, Json>): ServiceKey | undefined {
  if (name in modelServices) return name as ServiceKey;
  const cn = svc.container_name;
  return (Object.keys(modelServices) as ServiceKey[]).find((k) => modelServices[k].containerName === cn);
}

export function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function record(origins: Map<string, Origin>, path: KeyPath, layer: number, layerPath: KeyPath, value: Json): void {
  origins.set(pathKey(path), { layer, path: layerPath });
  if (Array.isArray(value)) value.forEach((v, i) => record(origins, [...path, i], layer, [...layerPath, i], v));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) record(origins, [...path, k], layer, [...layerPath, k], v);
}

function forget(origins: Map<string, Origin>, path: KeyPath): void {
  const prefix = pathKey(path).slice(0, -1);
  for (const k of [...origins.keys()]) if (k.startsWith(prefix)) origins.delete(k);
}

function mergeValue(base: Json | undefined, over: Json, path: KeyPath, layerPath: KeyPath, layer: number, origins: Map<string, Origin>): Json {
  if (isObject(over) && OVERRIDE in over && Object.keys(over).length === 1) {
    const v = over[OVERRIDE] as Json;
    forget(origins, path);
    record(origins, path, layer, [...layerPath, OVERRIDE], v);
    return v;
  }
  if (isObject(base) && isObject(over)) {
    const out: Record<string, Json> = { ...base };
    origins.set(pathKey(path), origins.get(pathKey(path)) ?? { layer, path: layerPath });
    for (const [k, v] of Object.entries(over)) {
      if (v === RESET) {
        delete out[k];
        forget(origins, [...path, k]);
        continue;
      }
      out[k] = mergeValue(out[k], v, [...path, k], [...layerPath, k], layer, origins);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    // compose appends sequences (ports, volumes, cap_add, security_opt, ...)
    over.forEach((v, i) => record(origins, [...path, base.length + i], layer, [...layerPath, i], v));
    return [...base, ...over];
  }
  if (over === RESET) {
    forget(origins, path);
    return null;
  }
  forget(origins, path);
  record(origins, path, layer, layerPath, over);
  return over;
}

export function formatPath(path: KeyPath): string {
  return path
    .filter((p) => p !== OVERRIDE)
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z0-9_-]+$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`))
    .join('');
}

// ---------------------------------------------------------------- interpolation

/** compose variable interpolation with the stack dir's .env; unset variables become "" like compose */
export function interpolate(v: Json, env: Record<string, string>): Json {
  if (typeof v === 'string') return interpolateString(v, env);
  if (Array.isArray(v)) return v.map((x) => interpolate(x, env));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, env)]));
  return v;
}

export function interpolateString(s: string, env: Record<string, string>): string {
  if (!s.includes('$')) return s;
  return s.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name?: string, op?: string, arg?: string, bare?: string) => {
    if (m === '$$') return '$';
    const key = (name ?? bare)!;
    const val = env[key];
    const unsetOrEmpty = val === undefined || (op?.startsWith(':') ?? false ? val === '' : false);
    switch (op) {
      case ':-':
      case '-':
        return unsetOrEmpty ? interpolateString(arg ?? '', env) : val!;
      case ':+':
      case '+':
        return unsetOrEmpty ? '' : interpolateString(arg ?? '', env);
      default:
        return val ?? '';
    }
  });
}

/** KEY=VALUE lines of a compose .env file */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let val = m[2]!;
    if (/^".*"$/.test(val) || /^'.*'$/.test(val)) val = val.slice(1, -1);
    else val = val.replace(/\s+#.*$/, '');
    out[m[1]!] = val;
  }
  return out;
}

// ---------------------------------------------------------------- ports

export interface PublishedPort {
  /** host address the port is published on; "" means all interfaces */
  hostIp: string;
  hostPort: string;
  containerPort: string;
  protocol: string;
}

/** one `ports:` entry in any syntax compose accepts */
export function parsePort(entry: Json): PublishedPort | { error: string } {
  if (typeof entry === 'number') return { hostIp: '', hostPort: '', containerPort: String(entry), protocol: 'tcp' };
  if (isObject(entry)) {
    const target = entry.target;
    if (target === undefined) return { error: 'long syntax without target' };
    return {
      hostIp: typeof entry.host_ip === 'string' ? entry.host_ip : '',
      hostPort: entry.published === undefined || entry.published === null ? '' : String(entry.published),
      containerPort: String(target),
      protocol: typeof entry.protocol === 'string' ? entry.protocol : 'tcp',
    };
  }
  if (typeof entry !== 'string') return { error: `unrecognised port entry ${JSON.stringify(entry)}` };
  let s = entry.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp = '';
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return { error: `unbalanced "[" in ${entry}` };
    hostIp = s.slice(1, end);
    s = s.slice(end + 1).replace(/^:/, '');
    const [hostPort = '', containerPort = ''] = s.split(':');
    return { hostIp, hostPort, containerPort, protocol };
  }
  const parts = s.split(':');
  if (parts.length === 1) return { hostIp: '', hostPort: '', containerPort: parts[0]!, protocol };
  if (parts.length === 2) return { hostIp: '', hostPort: parts[0]!, containerPort: parts[1]!, protocol };
  // "ip:host:container"; an unbracketed IPv6 address keeps its colons
  return { hostIp: parts.slice(0, -2).join(':'), hostPort: parts[parts.length - 2]!, containerPort: parts[parts.length - 1]!, protocol };
}

export function isLoopbackAddress(ip: string): boolean {
  const a = ip.trim().replace(/^\[|\]$/g, '');
  if (/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(a)) return true;
  if (a === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(a) || /^::ffff:127\./i.test(a)) return true;
  return false;
}

// ---------------------------------------------------------------- volumes

export interface Mount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image' | string;
  /** host path for binds (as written), volume name for volumes */
  source: string;
  target: string;
  readOnly: boolean;
}

/** one `volumes:` entry of a service in short or long syntax */
export function parseMount(entry: Json): Mount | { error: string } {
  if (isObject(entry)) {
    const type = typeof entry.type === 'string' ? entry.type : 'volume';
    return {
      type,
      source: typeof entry.source === 'string' ? entry.source : '',
      target: typeof entry.target === 'string' ? entry.target : '',
      readOnly: entry.read_only === true,
    };
  }
  if (typeof entry !== 'string') return { error: `unrecognised volume entry ${JSON.stringify(entry)}` };
  const parts = entry.split(':');
  if (parts.length === 1) return { type: 'volume', source: '', target: parts[0]!, readOnly: false };
  const [source, target, mode = ''] = parts as [string, string, string?];
  const isPath = /^(\/|\.|~)/.test(source);
  return { type: isPath ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
}

export function normalizeHostPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/**
 * Why a host path must not be mounted into a container (or null): the host root, the
 * runtime dirs holding the Docker/containerd sockets, or a Docker socket by any path.
 */
export function dangerousHostPath(p: string): string | null {
  if (!p.startsWith('/')) return null;
  const n = normalizeHostPath(p);
  if (/(^|\/)(docker|containerd|podman)\.sock$/.test(n) || /\.sock$/.test(n) && /docker/.test(n)) return 'a container engine socket';
  if (n === '/') return 'the host root filesystem';
  if (n === '/var' || n === '/run' || n === '/var/run' || n.startsWith('/run/') || n.startsWith('/var/run/')) return 'the host runtime directory holding the Docker socket';
  if (n === '/var/lib' || n === '/var/lib/docker' || n.startsWith('/var/lib/docker/') || n.startsWith('/var/lib/containerd')) return 'the Docker data directory';
  return null;
}

/** the service's env list/map as pairs */
export function environmentEntries(env: Json | undefined): { key: string; value: string | null; index: string | number }[] {
  if (Array.isArray(env)) {
    return env.map((e, i) => {
      const s = String(e);
      const eq = s.indexOf('=');
      return eq < 0 ? { key: s, value: null, index: i } : { key: s.slice(0, eq), value: s.slice(eq + 1), index: i };
    });
  }
  if (isObject(env)) return Object.entries(env).map(([k, v]) => ({ key: k, value: v === null ? null : String(v), index: k }));
  return [];
}

/** list-or-map (networks, secrets, labels) -> names */
export function namesOf(v: Json | undefined): string[] {
  if (Array.isArray(v)) return v.map((x) => (isObject(x) && typeof x.source === 'string' ? x.source : String(x)));
  if (isObject(v)) return Object.keys(v);
  return [];
}

/** the compose sequence (or single value) as an array */
export function asList(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
