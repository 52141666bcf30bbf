// A stack dir with the secrets `oss init` creates (its own secret code), in a real temp dir.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySecrets, planSecrets } from '../../src/secrets/ensure';
import { secretPath, secrets, type SecretName } from '../../src/stack/model';

export function makeStack(prefix = 'oss-secrets-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  applySecrets(dir, planSecrets(dir));
  return dir;
}

export function removeStack(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function readAll(dir: string): Record<SecretName, string> {
  return Object.fromEntries(secrets.map((s) => [s.name, readFileSync(join(dir, secretPath(s.name)), 'utf8')])) as Record<SecretName, string>;
}

export const modeOf = (path: string) => statSync(path).mode & 0o777;

/** every entry under dir, relative, sorted (to prove nothing was left behind) */
export function listTree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...listTree(dir, p));
  }
  return out.sort();
}

export function writeSettings(dir: string, yaml: string): void {
  writeFileSync(join(dir, 'oss.yaml'), yaml);
}

// ---------------------------------------------------------------- fake docker + gateway
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { services, type ServiceKey } from '../../src/stack/model';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface FakeDockerState {
  consumes: Record<string, string[]>;
  /** per service: secret name -> sha256 of the value it loaded at its last (re)start */
  running: Record<string, Record<string, string>>;
  restarts: string[];
  failRestart?: string;
}

export interface FakeStack {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  state(): FakeDockerState;
  setState(patch: Partial<FakeDockerState>): void;
  /** every argv the fake docker was called with */
  argv(): string[][];
  gatewayPort: number;
  close(): Promise<void>;
}

/**
 * A running "stack" for rotation tests without the fixed container names: the fake docker
 * on PATH plus a real HTTP server standing in for the gateway's auth (401 unless the bearer
 * is the gateway token the "gateway" loaded at its last restart). Writes oss.yaml with its port.
 */
export async function startFakeStack(dir: string): Promise<FakeStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'oss-fake-docker-'));
  const stateFile = join(stateDir, 'state.json');
  const values = readAll(dir);
  const consumes: Record<string, string[]> = {};
  const running: Record<string, Record<string, string>> = {};
  for (const key of Object.keys(services) as ServiceKey[]) {
    consumes[key] = [...services[key].secrets];
    running[key] = Object.fromEntries(services[key].secrets.map((n) => [n, sha256(values[n])]));
  }
  writeFileSync(stateFile, JSON.stringify({ consumes, running, restarts: [] }));
  const state = () => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeDockerState;
  const server: Server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const ok = auth.startsWith('Bearer ') && sha256(auth.slice(7)) === state().running.gateway?.gateway_token;
    req.resume();
    res.writeHead(ok ? 404 : 401, { 'content-type': 'application/json' }).end(ok ? '{"ok":false}' : '{"error":"unauthorized"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const gatewayPort = (server.address() as { port: number }).port;
  writeSettings(dir, `version: 1\ngateway:\n  port: ${gatewayPort}\n`);
  const fakeBin = fileURLToPath(new URL('./fake-docker', import.meta.url));
  return {
    env: { PATH: `${fakeBin}:${process.env.PATH}`, FAKE_DOCKER_STATE: stateDir },
    stateDir,
    state,
    setState: (patch) => writeFileSync(stateFile, JSON.stringify({ ...state(), ...patch })),
    argv: () => {
      try {
        return readFileSync(join(stateDir, 'argv.log'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
      } catch {
        return [];
      }
    },
    gatewayPort,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- /proc watcher

/**
 * Samples /proc/<pid>/cmdline of every process, and environ where readable, every few
 * milliseconds until stopped, excluding this test process; returns the distinct samples.
 */
export function watchProcesses(intervalMs = 5): { stop(): Set<string> } {
  const seen = new Set<string>();
  const self = String(process.pid);
  const sample = () => {
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p) && p !== self);
    } catch {
      return;
    }
    for (const pid of pids) {
      for (const f of ['cmdline', 'environ']) {
        try {
          seen.add(readFileSync(`/proc/${pid}/${f}`, 'latin1'));
        } catch {
          /* gone or not ours */
        }
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return seen;
    },
  };
}
