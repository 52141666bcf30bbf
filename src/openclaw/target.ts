// Where the OpenClaw we harden lives, and how to talk to it. Two transports, one
// interface: the gateway container of a stack (`docker exec openclaw-gateway openclaw ...`,
// state read from the bind-mounted config dir) and `--local` (`openclaw` on PATH with its
// own state dir). Everything above this file is transport-agnostic.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OssError } from '../errors';
import { CONTAINER_SECRETS_DIR, gateway, services } from '../stack/model';
import { layout } from '../stack/layout';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
}

export interface OpenClawTarget {
  kind: 'container' | 'local';
  /** human label for messages */
  label: string;
  /** the gateway container (container transport only) */
  container?: string;
  /** OpenClaw state dir on THIS host (container: the bind-mounted config dir) */
  stateDir: string;
  /** the same dir as the gateway process sees it (wrapper scripts and secrets live under it) */
  gatewayStateDir: string;
  /** `gateway.bind` for this target (SPEC section 5: lan in a container, loopback on a host) */
  bind: 'lan' | 'loopback';
  /** gateway token file as the gateway sees it, and on this host */
  gatewayTokenFile: { gatewayPath: string; hostPath: string };
  /** Telegram bot token file as the gateway sees it */
  telegramTokenFile: { gatewayPath: string; hostPath: string };
  /** run `openclaw ARGS` */
  run(args: string[], opts?: RunOptions): Promise<CliResult>;
  /** apply config that needs a restart; returns what was done */
  restartGateway(): Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 180_000;

async function runProcess(file: string, args: string[], env: NodeJS.ProcessEnv | undefined, opts: RunOptions): Promise<CliResult> {
  const { execa } = await import('execa');
  const t0 = Date.now();
  try {
    const r = await execa(file, args, {
      input: opts.input ?? '',
      env,
      extendEnv: env === undefined,
      reject: false,
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
      stripFinalNewline: false,
    });
    if (r.timedOut) throw new OssError(`\`${file} ${args.slice(0, 4).join(' ')} …\` timed out`, { hint: 'the machine may be overloaded; run the command again' });
    return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - t0 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OssError(`\`${file}\` was not found on PATH`, {
        hint: file === 'docker' ? 'install Docker or use --local' : 'install openclaw (scripts/setup-openclaw.sh prints a bin dir to put on PATH)',
      });
    }
    throw err;
  }
}

/** environment for a local openclaw: its own state dir, no inherited overrides, no colour */
export function localEnv(stateDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.OPENCLAW_CONFIG_READONLY;
  // openclaw 2026.9.6 prints nothing on stdout when VITEST is set (its own test mode)
  for (const k of Object.keys(env)) if (k === 'VITEST' || k.startsWith('VITEST_') || k === 'JEST_WORKER_ID') delete env[k];
  env.OPENCLAW_STATE_DIR = stateDir;
  env.OPENCLAW_CONFIG_PATH = join(stateDir, gateway.configFile);
  return env;
}

export function localTarget(stateDirArg: string): OpenClawTarget {
  const stateDir = resolve(stateDirArg);
  const env = localEnv(stateDir);
  return {
    kind: 'local',
    label: `local OpenClaw home ${stateDir}`,
    stateDir,
    gatewayStateDir: stateDir,
    bind: gateway.bindLocal,
    gatewayTokenFile: { gatewayPath: join(stateDir, 'secrets', 'gateway_token'), hostPath: join(stateDir, 'secrets', 'gateway_token') },
    telegramTokenFile: {
      gatewayPath: join(stateDir, 'secrets', 'telegram_bot_token'),
      hostPath: join(stateDir, 'secrets', 'telegram_bot_token'),
    },
    run: (args, opts = {}) => runProcess('openclaw', args, env, opts),
    restartGateway: async () => 'no gateway process is managed in local mode; restart yours if one runs',
  };
}

export function containerTarget(stackDir: string, container: string = services.gateway.containerName): OpenClawTarget {
  const dir = resolve(stackDir);
  const stateDir = join(dir, layout.gateway.configDir);
  return {
    kind: 'container',
    label: `container ${container}`,
    container,
    stateDir,
    gatewayStateDir: gateway.configDir,
    bind: gateway.bindInContainer,
    gatewayTokenFile: { gatewayPath: `${CONTAINER_SECRETS_DIR}/gateway_token`, hostPath: join(dir, layout.secretsDir, 'gateway_token') },
    telegramTokenFile: {
      gatewayPath: `${CONTAINER_SECRETS_DIR}/telegram_bot_token`,
      hostPath: join(dir, layout.secretsDir, 'telegram_bot_token'),
    },
    run: (args, opts = {}) =>
      runProcess('docker', ['exec', ...(opts.input !== undefined ? ['-i'] : []), '-e', 'NO_COLOR=1', container, 'openclaw', ...args], undefined, opts),
    restartGateway: async () => {
      const r = await runProcess('docker', ['restart', container], undefined, { timeoutMs: 120_000 });
      if (r.code !== 0) throw new OssError(`docker restart ${container} failed: ${r.stderr.trim()}`, { exitCode: 1 });
      return `restarted ${container}`;
    },
  };
}

/** pick the transport from command options; the stack dir must exist for the container */
export function resolveTarget(opts: { local?: boolean; openclawHome?: string; dir: string; container?: string }): OpenClawTarget {
  if (opts.local) {
    const home = opts.openclawHome ?? join(process.env.HOME ?? '.', '.openclaw');
    if (!existsSync(join(home, gateway.configFile))) {
      throw new OssError(`no ${gateway.configFile} in ${home}`, {
        hint: 'onboard OpenClaw first (`openclaw onboard`) or pass --openclaw-home <its state dir>',
      });
    }
    return localTarget(home);
  }
  if (!existsSync(join(opts.dir, layout.gateway.configDir))) {
    throw new OssError(`${opts.dir} is not an oss stack dir (no ${layout.gateway.configDir})`, {
      hint: 'run `oss init --dir DIR` first, pass the right --dir, or use --local for an openclaw on this host',
    });
  }
  return containerTarget(opts.dir, opts.container);
}

/** end index (exclusive) of the balanced JSON object starting at `start`, or -1 */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** the JSON object in a CLI's stdout (some commands print banners or warnings around it) */
export function parseCliJson<T = unknown>(stdout: string, what: string): T {
  for (let start = stdout.indexOf('{'); start >= 0; start = stdout.indexOf('{', start + 1)) {
    const end = objectEnd(stdout, start);
    if (end < 0) break;
    try {
      return JSON.parse(stdout.slice(start, end)) as T;
    } catch {
      /* a brace inside a banner: try the next one */
    }
  }
  const head = stdout.trim().slice(0, 80).replace(/\s+/g, ' ');
  throw new OssError(`\`openclaw ${what}\` did not print JSON (${stdout.length} bytes${head ? `, starting "${head}"` : ''})`, {
    hint: 'check the openclaw version (model: gateway.openclawVersion) and run the command again',
    exitCode: 1,
  });
}
