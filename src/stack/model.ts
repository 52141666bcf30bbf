// THE stack model: every fact about the hardened stack lives here once.
// Templates, the bridge, `harden`, the checks and HARDENING.md read it; nothing restates it.

export type ServiceKey =
  | 'gateway'
  | 'bridge'
  | 'socket-proxy'
  | 'codex-worker'
  | 'deploy-runner'
  | 'db-query-runner';

export type NetworkKey = 'internal' | 'proxy' | 'egress';

export interface Resources {
  /** compose mem_limit, e.g. "2g" */
  memory: string;
  cpus: number;
  pids: number;
}

export interface ServiceModel {
  key: ServiceKey;
  containerName: string;
  role: string;
  /** directory in the stack dir holding the Dockerfile */
  buildDir: string;
  /** which base image from settings the Dockerfile starts FROM */
  baseImage: 'node' | 'debian';
  /** non-root uid:gid the service runs as */
  user: string;
  readOnlyRootfs: true;
  /** writable mounts on the read-only rootfs: path -> tmpfs options */
  tmpfs: Record<string, string>;
  networks: NetworkKey[];
  /** true only for the one service meant to hold the Docker socket */
  holdsDockerSocket: boolean;
  /** secrets (by name) mounted at /run/secrets/<name> */
  secrets: SecretName[];
  /** default limits, sized from measurement (see SPEC section 1) */
  resources: Resources;
  /** healthcheck start period in seconds */
  healthStartPeriodSec: number;
  /** env var names the service may receive (allowlist; values never secrets) */
  envAllowlist: string[];
}

export const PROJECT_NAME = 'openclaw-stack';
export const DEFAULT_DIR_ROOT = '/opt/openclaw-stack';
export const DEFAULT_DIR_USER = './openclaw-stack';
export const SETTINGS_FILE = 'oss.yaml';
export const WAIVERS_FILE = 'oss-waivers.yaml';
export const MANIFEST_FILE = '.oss/manifest.json';
export const COMPOSE_FILE = 'docker-compose.yml';
export const SECRETS_DIR = 'secrets';
export const SECRETS_DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;
/** uid:gid of the non-root user in the node-based images (the `node` user) */
export const RUNTIME_UID = 1000;
export const RUNTIME_GID = 1000;
export const RUNTIME_USER = `${RUNTIME_UID}:${RUNTIME_GID}`;
/** where compose mounts file secrets inside a container */
export const CONTAINER_SECRETS_DIR = '/run/secrets';

export const networks: Record<NetworkKey, { name: string; internal: boolean; purpose: string }> = {
  internal: {
    name: 'openclaw-internal',
    internal: true,
    purpose: 'gateway <-> bridge only; no route off the host, no IPv4 on the host side',
  },
  proxy: {
    name: 'openclaw-proxy',
    internal: true,
    purpose: 'bridge <-> socket proxy only',
  },
  egress: {
    name: 'openclaw-egress',
    internal: false,
    purpose: 'outbound for the gateway (LLM API, Telegram) and the workers',
  },
};

export const gateway = {
  /** port the OpenClaw gateway listens on inside its container */
  containerPort: 18789,
  /** default host port, published on 127.0.0.1 only */
  defaultHostPort: 8080,
  publishAddress: '127.0.0.1',
  /** in the container the gateway must listen on its container interface (SPEC section 5) */
  bindInContainer: 'lan',
  /** run directly on a host (`--local`) */
  bindLocal: 'loopback',
  configDir: '/home/node/.openclaw',
  configFile: 'openclaw.json',
  openclawVersion: '2026.9.6',
} as const;

export const bridge = {
  port: 8005,
  host: 'openclaw-bridge',
  maxBodyBytes: 8192,
  concurrency: 4,
  minTokenLength: 32,
  /** the gateway-side client, rendered into the gateway's config dir */
  clientFile: 'bridge-client.cjs',
  /** where the bridge and the gateway client read the token (compose file secret) */
  tokenFile: '/run/secrets/bridge_token',
  /** per-stream cap on worker output returned in a response (bytes); beyond it `truncated` */
  maxOutputBytes: 1_048_576,
  /** slow or idle clients cannot hold a connection longer than these */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 8192,
  maxConnections: 1024,
  /** SIGTERM: stop accepting, let running executions finish this long, then kill them */
  drainTimeoutMs: 10_000,
  /** the gateway client waits this much longer than a route's timeout for the response */
  clientGraceSec: 20,
} as const;

export const socketProxy = {
  port: 2375,
  host: 'openclaw-socket-proxy',
  dockerSocket: '/var/run/docker.sock',
} as const;

export type RouteName = 'run-codex' | 'deploy-staging' | 'query-readonly';

export interface RouteModel {
  name: RouteName;
  path: `/${RouteName}`;
  /** the one optional string field of the JSON body, or null when the route takes no input */
  field: 'prompt' | 'query' | null;
  /** characters; null when the route takes no input */
  maxInputChars: number | null;
  timeoutSec: number;
  worker: ServiceKey;
  /** fixed argv run inside the worker container; the input travels on stdin */
  workerArgv: string[];
  /** gateway-side wrapper script, allowlisted in the exec policy */
  wrapperScript: `${RouteName}.sh`;
}

export const routes: readonly RouteModel[] = [
  {
    name: 'run-codex',
    path: '/run-codex',
    field: 'prompt',
    maxInputChars: 4000,
    timeoutSec: 600,
    worker: 'codex-worker',
    workerArgv: ['/usr/local/bin/oss-run-codex'],
    wrapperScript: 'run-codex.sh',
  },
  {
    name: 'deploy-staging',
    path: '/deploy-staging',
    field: null,
    maxInputChars: null,
    timeoutSec: 900,
    worker: 'deploy-runner',
    workerArgv: ['/usr/local/bin/oss-deploy-staging'],
    wrapperScript: 'deploy-staging.sh',
  },
  {
    name: 'query-readonly',
    path: '/query-readonly',
    field: 'query',
    maxInputChars: 2000,
    timeoutSec: 30,
    worker: 'db-query-runner',
    workerArgv: ['/usr/local/bin/oss-query-readonly'],
    wrapperScript: 'query-readonly.sh',
  },
];

export function routeByPath(path: string): RouteModel | undefined {
  return routes.find((r) => r.path === path);
}

/** absolute path of a wrapper script inside the gateway container */
export function wrapperPath(route: RouteModel): string {
  return `${gateway.configDir}/${route.wrapperScript}`;
}

export const codex = {
  workspaceRoot: '/workspace',
  preambleFile: 'preamble.md',
  /** where the preamble is mounted in the codex worker */
  preamblePath: '/etc/oss/preamble.md',
  configPath: '/home/node/.codex/config.toml',
  execArgs: ['exec', '--ephemeral', '--skip-git-repo-check'],
} as const;

export const query = {
  maxRows: 100,
  maxInputChars: 2000,
  statementTimeoutMs: 5000,
  idleTimeoutMs: 10000,
  maxOutputBytes: 1_000_000,
  readonlyRole: 'oss_readonly',
  schema: 'public',
} as const;

// ---------------------------------------------------------------- secrets

export type SecretName =
  | 'bridge_token'
  | 'gateway_token'
  | 'openai_api_key'
  | 'codex_api_key'
  | 'telegram_bot_token'
  | 'db_dsn';

export interface SecretModel {
  name: SecretName;
  /** what it is, for people */
  title: string;
  /** services that read it (mounted as a compose file secret) */
  consumers: ServiceKey[];
  /** generated by oss (init, rotate-secrets) or supplied by the operator (set-key) */
  source: 'generated' | 'operator';
  /** `oss set-key <alias>` for operator-supplied secrets */
  setKeyAlias?: 'codex' | 'gateway-llm' | 'telegram' | 'db';
  /** environment variable an operator may pass the value in (set-key) */
  envVar?: string;
  /** env var the one consuming process needs, loaded from the file at its start */
  processEnv?: string;
  minLength?: number;
}

export const secrets: readonly SecretModel[] = [
  {
    name: 'bridge_token',
    title: 'bridge bearer token (64 hex)',
    consumers: ['gateway', 'bridge'],
    source: 'generated',
    minLength: 32,
  },
  {
    name: 'gateway_token',
    title: 'OpenClaw gateway auth token',
    consumers: ['gateway'],
    source: 'generated',
    minLength: 32,
  },
  {
    name: 'openai_api_key',
    title: 'gateway LLM API key',
    consumers: ['gateway'],
    source: 'operator',
    setKeyAlias: 'gateway-llm',
    envVar: 'OPENAI_API_KEY',
  },
  {
    name: 'codex_api_key',
    title: 'codex worker API key',
    consumers: ['codex-worker'],
    source: 'operator',
    setKeyAlias: 'codex',
    envVar: 'CODEX_API_KEY',
    processEnv: 'CODEX_API_KEY',
  },
  {
    name: 'telegram_bot_token',
    title: 'Telegram bot token',
    consumers: ['gateway'],
    source: 'operator',
    setKeyAlias: 'telegram',
    envVar: 'TELEGRAM_BOT_TOKEN',
  },
  {
    name: 'db_dsn',
    title: 'read-only PostgreSQL DSN for the query runner',
    consumers: ['db-query-runner'],
    source: 'operator',
    setKeyAlias: 'db',
    envVar: 'OSS_DB_DSN',
  },
];

export function secretByName(name: string): SecretModel | undefined {
  return secrets.find((s) => s.name === name);
}

/** path of a secret file relative to the stack dir */
export function secretPath(name: SecretName): string {
  return `${SECRETS_DIR}/${name}`;
}

/** bytes of randomness in a generated token (hex-encoded: twice as many characters) */
export const GENERATED_TOKEN_BYTES = 32;

// ---------------------------------------------------------------- services

export const services: Record<ServiceKey, ServiceModel> = {
  gateway: {
    key: 'gateway',
    containerName: 'openclaw-gateway',
    role: 'OpenClaw agent and chat channels; the only published port (loopback)',
    buildDir: 'gateway',
    baseImage: 'node',
    user: RUNTIME_USER,
    readOnlyRootfs: true,
    // OpenClaw refuses to start without a writable /home/node/.cache (recipes/openclaw section 8)
    tmpfs: {
      '/tmp': `size=256m,mode=1777`,
      '/home/node/.cache': `size=256m,uid=${RUNTIME_UID},gid=${RUNTIME_GID},mode=0700`,
    },
    networks: ['internal', 'egress'],
    holdsDockerSocket: false,
    secrets: ['bridge_token', 'gateway_token', 'openai_api_key', 'telegram_bot_token'],
    // measured: ~780 MB at start, ~1.3 GB after one turn, +170-270 MB workers
    resources: { memory: '2g', cpus: 1.5, pids: 256 },
    healthStartPeriodSec: 180,
    envAllowlist: ['NODE_ENV', 'OPENCLAW_NO_RESPAWN'],
  },
  bridge: {
    key: 'bridge',
    containerName: 'openclaw-bridge',
    role: 'HTTP bridge with three fixed routes; executes workers through the socket proxy',
    buildDir: 'bridge',
    baseImage: 'node',
    user: RUNTIME_USER,
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=16m,mode=1777' },
    networks: ['internal', 'proxy'],
    holdsDockerSocket: false,
    secrets: ['bridge_token'],
    resources: { memory: '256m', cpus: 0.5, pids: 64 },
    healthStartPeriodSec: 20,
    envAllowlist: ['NODE_ENV', 'OSS_BRIDGE_CONCURRENCY'],
  },
  'socket-proxy': {
    key: 'socket-proxy',
    containerName: 'openclaw-socket-proxy',
    role: 'HAProxy in front of the Docker socket: only the exec calls the bridge needs',
    buildDir: 'socket-proxy',
    baseImage: 'debian',
    user: '65534:65534',
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=8m,mode=1777', '/run/haproxy': 'size=1m,mode=1777' },
    networks: ['proxy'],
    holdsDockerSocket: true,
    secrets: [],
    resources: { memory: '64m', cpus: 0.25, pids: 64 },
    healthStartPeriodSec: 10,
    envAllowlist: [],
  },
  'codex-worker': {
    key: 'codex-worker',
    containerName: 'openclaw-codex-worker',
    role: 'runs `codex exec` in one fixed workspace',
    buildDir: 'codex-worker',
    baseImage: 'node',
    user: RUNTIME_USER,
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=64m,mode=1777' },
    networks: ['egress'],
    holdsDockerSocket: false,
    secrets: ['codex_api_key'],
    resources: { memory: '2g', cpus: 2, pids: 512 },
    healthStartPeriodSec: 10,
    envAllowlist: [],
  },
  'deploy-runner': {
    key: 'deploy-runner',
    containerName: 'openclaw-deploy-runner',
    role: 'fixed staging deploy (placeholder); takes no input',
    buildDir: 'deploy-runner',
    baseImage: 'debian',
    user: RUNTIME_USER,
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=16m,mode=1777' },
    networks: ['egress'],
    holdsDockerSocket: false,
    secrets: [],
    resources: { memory: '256m', cpus: 0.5, pids: 64 },
    healthStartPeriodSec: 10,
    envAllowlist: [],
  },
  'db-query-runner': {
    key: 'db-query-runner',
    containerName: 'openclaw-db-query-runner',
    role: 'read-only SQL runner (parser + read-only transaction)',
    buildDir: 'db-query-runner',
    baseImage: 'node',
    user: RUNTIME_USER,
    readOnlyRootfs: true,
    tmpfs: { '/tmp': 'size=16m,mode=1777' },
    networks: ['egress'],
    holdsDockerSocket: false,
    secrets: ['db_dsn'],
    resources: { memory: '256m', cpus: 0.5, pids: 64 },
    healthStartPeriodSec: 10,
    envAllowlist: [],
  },
};

export const serviceKeys = Object.keys(services) as ServiceKey[];

/**
 * Order for restarting consumers after a secret changes: servers before their clients,
 * so the bridge holds a new bridge token before the gateway starts sending it.
 */
export const restartOrder: readonly ServiceKey[] = ['socket-proxy', 'db-query-runner', 'codex-worker', 'deploy-runner', 'bridge', 'gateway'];

/** services that must never receive env_file (env allowlists instead) */
export const ENV_ALLOWLIST_SERVICES: ServiceKey[] = ['gateway', 'bridge'];

/** CIS 5.14: restart on failure, bounded */
export const RESTART_POLICY = 'on-failure:5';

export const logging = {
  driver: 'json-file',
  maxSize: '10m',
  maxFile: 3,
} as const;

export const defaultImages = {
  node: 'node:24-bookworm-slim',
  debian: 'debian:bookworm-slim',
} as const;

// ---------------------------------------------------------------- OpenClaw policy (control 10)

export const EXEC_AGENT = 'main';

export const execPolicy = {
  host: 'gateway',
  security: 'allowlist',
  ask: 'on-miss',
  askFallback: 'deny',
  /** how OpenClaw 2026.9 stores security=allowlist + ask=on-miss in config (`tools.exec.mode`) */
  configMode: 'ask',
} as const;

/** the `main` agent's allowlist: exactly the three wrapper scripts */
export function execAllowlist(): string[] {
  return routes.map(wrapperPath);
}

/**
 * Tools the agent must never have. SPEC section 5, with `image` renamed `view_image`
 * (OpenClaw 2026.9). Deny wins over allow.
 */
export const deniedTools: readonly string[] = [
  'group:fs',
  'group:web',
  'group:sessions',
  'read',
  'write',
  'edit',
  'apply_patch',
  'browser',
  'web_search',
  'web_fetch',
  'code_execution',
  'gateway',
  'message',
  'canvas',
  'nodes',
  'cron',
  'view_image',
  'image_generate',
  'music_generate',
  'video_generate',
  'tts',
  'subagents',
];

export const toolsPolicy = {
  profile: 'minimal',
  /** `alsoAllow`, not `allow`: `allow` clamps the minimal profile to nothing (OpenClaw 2026.9) */
  alsoAllow: ['exec'],
  deny: deniedTools,
} as const;

/**
 * `gateway.tools.allow`: tools exposed to HTTP callers of /tools/invoke, not an agent
 * restriction. Hardened intent: no tool reachable over HTTP, so the list is empty.
 * Evidence (openclaw 2026.9.6, docs/gateway/tools-invoke-http-api.md and
 * dist/tool-resolution-*.mjs): the list only REMOVES names from the built-in HTTP deny
 * list (exec, spawn, shell, fs_*, apply_patch, sessions_spawn/send, cron, gateway,
 * nodes, ...); [] is not "defaults", it re-enables nothing, the agent's own tools policy
 * still filters what is left, and the audit's `gateway.tools_invoke_http.dangerous_allow`
 * (warn, or critical off loopback) fires only for a non-empty overlap. The original's
 * ["exec"] is exactly that finding.
 */
export const gatewayToolsAllow: readonly string[] = [];

/**
 * Tool names OpenClaw 2026.9.6 really has (core catalog dist/tool-catalog-*.mjs, its
 * `group:*` ids, the tool-search bridge, and the aliases bash/apply-patch/cron it still
 * accepts). OpenClaw accepts unknown names in `tools.deny` silently, so a check compares.
 */
export const knownTools: readonly string[] = [
  ...['group:openclaw', 'group:fs', 'group:runtime', 'group:web', 'group:memory', 'group:sessions'],
  ...['group:ui', 'group:messaging', 'group:automation', 'group:nodes', 'group:agents', 'group:media'],
  ...['ls', 'read', 'write', 'edit', 'apply_patch', 'exec', 'process', 'code_execution', 'secrets'],
  ...['web_search', 'web_fetch', 'x_search', 'memory_search', 'memory_get', 'sessions', 'sessions_list'],
  ...['sessions_history', 'sessions_search', 'conversations_list', 'conversations_send', 'conversations_turn'],
  ...['sessions_send', 'sessions_spawn', 'github_identity_status', 'github_publish', 'agents_wait'],
  ...['sessions_yield', 'subagents', 'session_status', 'suggest_task', 'dismiss_task', 'browser', 'screen'],
  ...['theme', 'dashboard', 'terminal', 'portal', 'canvas', 'show_widget', 'message', 'heartbeat_respond'],
  ...['automations', 'gateway', 'plugins', 'openclaw', 'nodes', 'computer', 'mobile_ui', 'agents_list'],
  ...['get_goal', 'create_goal', 'update_goal', 'progress_card', 'ask_user', 'skill_workshop', 'view_image'],
  ...['image_generate', 'music_generate', 'video_generate', 'tts', 'pdf'],
  ...['tool_search', 'tool_call', 'tool_describe'],
  ...['bash', 'apply-patch', 'cron'],
];

/** stable ids of the allowlist entries oss writes (`approvals set` keeps the hash stable with them) */
export function allowlistEntryId(route: RouteModel): string {
  return `oss-${route.name}`;
}

/**
 * OpenClaw `argPattern` (ECMAScript regex over the arguments joined by one space) per
 * wrapper; null = path-only. deploy-staging takes no input at all, so no argument matches.
 */
export function wrapperArgPattern(route: RouteModel): string | null {
  return route.field === null ? '^$' : null;
}

export function controlUiOrigins(hostPort: number): string[] {
  return [
    `http://localhost:${hostPort}`,
    `http://127.0.0.1:${hostPort}`,
    `http://localhost:${gateway.containerPort}`,
    `http://127.0.0.1:${gateway.containerPort}`,
  ];
}

/** the Telegram block as rendered: configured before it is enabled (control 7) */
export function telegramBlock(operatorIds: string[]) {
  return {
    enabled: false,
    dmPolicy: 'allowlist',
    allowFrom: operatorIds,
    groupPolicy: 'allowlist',
    groups: {} as Record<string, { requireMention: boolean }>,
  };
}

// ---------------------------------------------------------------- Docker API calls the bridge makes
// The socket proxy pins these exact requests (path + buffered body); the bridge sends
// exactly these bytes. Engine API 1.41 is Docker 20.10's and is accepted by newer engines.

export const DOCKER_API_VERSION = 'v1.41';

/** exact JSON body of POST /<ver>/containers/<container>/exec for a route */
export function execCreateBody(route: RouteModel): string {
  return JSON.stringify({
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Cmd: route.workerArgv,
  });
}

/** exact JSON body of POST /<ver>/exec/<id>/start */
export const EXEC_START_BODY = JSON.stringify({ Detach: false, Tty: false });

/**
 * exact headers of the exec start, in the order sent (Host follows). HAProxy's HTTP mode
 * drops an upgrade that carries a body, so the proxy passes this one request in TCP mode,
 * pinned byte for byte; "close" makes the engine end the connection after any answer
 * that is not the 101 stream, so no second request can follow on that connection.
 */
export const EXEC_START_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json',
  'Content-Length': String(EXEC_START_BODY.length), // ASCII JSON: characters = bytes
  Connection: 'Upgrade, close',
  Upgrade: 'tcp',
};

export function workerContainer(route: RouteModel): string {
  return services[route.worker].containerName;
}
