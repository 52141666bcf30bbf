// Proof that a rotation took effect on a running stack: the bridge refuses the old bridge
// token and accepts the new one (asked from inside the gateway container, where the real
// client runs), the gateway refuses its old auth token, no container's environment holds
// a secret. Tokens travel on stdin / in headers, never in argv. Reusable by the e2e tests.
import { bridge, gateway, routes, serviceKeys, services, type SecretName } from '../stack/model';
import { runCommand } from './services';

export interface ProofItem {
  title: string;
  ok: boolean;
  detail: string;
}

export interface LiveProofInput {
  /** values before the rotation (only the rotated names matter) */
  before: Partial<Record<SecretName, string>>;
  /** values now */
  after: Partial<Record<SecretName, string>>;
  /** host port the gateway is published on (127.0.0.1) */
  gatewayPort: number;
  docker?: string;
}

// runs inside the gateway container with node; reads {url, body, tokens, timeoutMs} on stdin
const BRIDGE_PROBE = `let d='';process.stdin.setEncoding('utf8').on('data',c=>d+=c).on('end',async()=>{const j=JSON.parse(d);const out=[];for(const t of j.tokens){try{const r=await fetch(j.url,{method:'POST',headers:{'content-type':'application/json',authorization:'Bearer '+t},body:j.body,signal:AbortSignal.timeout(j.timeoutMs)});await r.arrayBuffer().catch(()=>{});out.push(r.status)}catch(e){out.push(0)}}process.stdout.write(JSON.stringify(out))})`;

/** HTTP statuses the bridge returns for each token, asked from the gateway container */
export async function bridgeStatuses(tokens: string[], docker = 'docker'): Promise<number[]> {
  const route = routes.find((r) => r.name === 'query-readonly')!;
  const input = JSON.stringify({
    url: `http://${bridge.host}:${bridge.port}${route.path}`,
    body: JSON.stringify({ [route.field!]: 'SELECT 1' }),
    tokens,
    timeoutMs: (route.timeoutSec + 5) * 1000,
  });
  const r = await runCommand(docker, ['exec', '-i', services.gateway.containerName, 'node', '-e', BRIDGE_PROBE], {
    input,
    timeoutMs: (route.timeoutSec + 30) * 1000 * Math.max(1, tokens.length),
  });
  if (r.code !== 0) throw new Error(`probe in ${services.gateway.containerName} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`);
  return JSON.parse(r.stdout) as number[];
}

/** HTTP status of an authenticated gateway request from the host (loopback port) */
export async function gatewayStatus(port: number, token: string): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/tools/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ tool: 'session_status', args: {} }),
      signal: AbortSignal.timeout(30_000),
    });
    await r.arrayBuffer().catch(() => undefined);
    return r.status;
  } catch {
    return 0;
  }
}

const refused = (s: number) => s === 401 || s === 403;

export async function proveRotationLive(input: LiveProofInput): Promise<ProofItem[]> {
  const docker = input.docker ?? 'docker';
  const items: ProofItem[] = [];
  const oldBridge = input.before.bridge_token;
  const newBridge = input.after.bridge_token;
  if (newBridge && oldBridge !== newBridge) {
    try {
      const [sNew, sOld] = await bridgeStatuses(oldBridge ? [newBridge, oldBridge] : [newBridge], docker);
      items.push({ title: 'bridge accepts the new bridge token', ok: sNew === 200, detail: `HTTP ${sNew} (expected 200)` });
      if (oldBridge) items.push({ title: 'bridge refuses the old bridge token', ok: sOld === 401, detail: `HTTP ${sOld} (expected 401)` });
    } catch (err) {
      items.push({ title: 'bridge answers the new token', ok: false, detail: (err as Error).message });
    }
  }
  const oldGw = input.before.gateway_token;
  const newGw = input.after.gateway_token;
  if (newGw && oldGw !== newGw) {
    // the new token first: a burst of refused attempts could rate-limit the right one
    const sNew = await gatewayStatus(input.gatewayPort, newGw);
    items.push({ title: 'gateway accepts the new gateway token', ok: sNew !== 0 && !refused(sNew) && sNew < 500, detail: `HTTP ${sNew} (expected neither 401 nor 403)` });
    if (oldGw) {
      const sOld = await gatewayStatus(input.gatewayPort, oldGw);
      items.push({ title: 'gateway refuses the old gateway token', ok: refused(sOld), detail: `HTTP ${sOld} (expected 401)` });
    }
  }
  const values = [...Object.values(input.before), ...Object.values(input.after)].filter((v): v is string => !!v);
  items.push(await containerEnvClean(values, docker));
  items.push(await containerLogsClean(values, docker));
  return items;
}

/** no stack container's log (what `docker logs` shows, kept by the json-file driver) holds a secret value */
export async function containerLogsClean(values: string[], docker = 'docker'): Promise<ProofItem> {
  const dirty: string[] = [];
  let read = 0;
  for (const key of serviceKeys) {
    const name = services[key].containerName;
    const r = await runCommand(docker, ['logs', '--tail', '5000', name], { timeoutMs: 30_000 });
    if (r.code !== 0) continue; // not running: nothing to read
    read++;
    const text = r.stdout + r.stderr;
    if (values.some((v) => v.length >= 8 && text.includes(v))) dirty.push(name);
  }
  return {
    title: 'no container log holds a secret',
    ok: dirty.length === 0 && read > 0,
    detail: read === 0 ? 'no container log could be read' : dirty.length ? `found in the logs of ${dirty.join(', ')}` : `logs of ${read} container(s) checked`,
  };
}

/** no running container of the stack carries a secret value in Config.Env */
export async function containerEnvClean(values: string[], docker = 'docker'): Promise<ProofItem> {
  const names = serviceKeys.map((k) => services[k].containerName);
  const r = await runCommand(docker, ['inspect', '--format', '{{.Name}} {{json .Config.Env}}', ...names], { timeoutMs: 30_000 });
  // inspect exits 1 when some container is absent but still prints the others
  const dirty = r.stdout
    .split('\n')
    .filter((line) => values.some((v) => v.length >= 8 && line.includes(v)))
    .map((line) => line.split(' ')[0]);
  return {
    title: 'no container environment holds a secret',
    ok: dirty.length === 0 && r.stdout.trim() !== '',
    detail: r.stdout.trim() === '' ? `docker inspect printed nothing (exit ${r.code})` : dirty.length ? `found in Config.Env of ${dirty.join(', ')}` : 'Config.Env of every stack container checked',
  };
}

/** default published port when settings are absent */
export const defaultGatewayPort = gateway.defaultHostPort;
